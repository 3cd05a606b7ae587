/** The text of /proc/kbus/bindings: per device a comment line, then its bindings newest first. */

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
