/** The text of the /proc/kbus reports. */

import type { Device } from './device';

const COMMENT = '# device: Ksock id, process id, R(eplier) or L(istener), message name';

export function renderBindings(devices: readonly Device[]): string {
  const lines: string[] = [];
  for (const device of devices) {
    lines.push(COMMENT);
    for (const b of device.bindings.newestFirst()) {
      lines.push(`${String(device.number).padStart(3)}: ${String(b.owner.id).padStart(8)} ${String(b.owner.pid).padStart(8)}  ${b.replier ? 'R' : 'L'}  ${b.name}`);
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * /proc/kbus/stats: per device its counters, then per open Ksock (newest first) its last id
 * sent, its queue against its limit, and how far its current message has been read.
 */
export function renderStats(devices: readonly Device[]): string {
  const lines: string[] = [];
  for (const device of devices) {
    const counters = device.counters();
    lines.push(`dev ${String(device.number).padStart(2)}: next ksock ${counters.nextKsockId} next msg ${counters.nextSerial} unsent unbindings ${device.setAside.size}`);
    for (const k of [...device.ksocks.values()].reverse()) {
      if (!device.policy.listsInStats(k.mode)) continue;
      const current = k.currentMessage();
      const total = current?.bytes.length ?? 0;
      lines.push(`    ksock ${k.id} last msg ${k.lastSentId.networkId}:${k.lastSentId.serialNum} queue ${k.queued} of ${k.limit}`);
      lines.push(`      read byte ${current?.position ?? 0} of ${total}, ${k.sending ? '' : 'not '}sending`);
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}
