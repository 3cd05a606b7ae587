/**
 * Ids as a session sees them, so that two implementations (or one that is not fresh) can be
 * compared: a Ksock id is the name of the Ksock that has it (K1, K2, … in the order they were
 * opened), a serial number is S1 for the first one the session saw, S2 for the one after, and
 * so on. The same labels name ids in the scenarios `explore` writes, whose steps read them
 * back with this module.
 */

import { KBUS_NAME } from '../wire/constants';
import { Message, MessageId, decodeReplierBindEvent, encodeEntire } from '../wire/message';
import type { PointerSize } from '../wire/constants';

export class Labels {
  private serialBase?: number;

  constructor(
    /** The name of the Ksock with this id, if the session opened it. */
    private readonly ksockName: (id: number) => string | undefined,
    /** The id of the session's first Ksock, for ids the session never opened. */
    private readonly firstKsock: () => number,
  ) {}

  ksock(id: number): string {
    if (id === 0) return '0';
    return this.ksockName(id) ?? `K1${signed(id - this.firstKsock())}`;
  }

  serial(serial: number): string {
    if (serial === 0) return '0';
    this.serialBase ??= serial;
    return `S${serial - this.serialBase + 1}`;
  }

  /** An id from another network is not one of this bus's serial numbers: it stays as it is. */
  id(id: MessageId): string {
    return id.networkId === 0 ? this.serial(id.serialNum) : `${id.networkId}:${id.serialNum}`;
  }

  /** The message id a label names. */
  idOf(label: string): MessageId {
    const remote = /^(\d+):(\d+)$/.exec(label);
    if (remote) return { networkId: Number(remote[1]), serialNum: Number(remote[2]) };
    return { networkId: 0, serialNum: this.serialOf(label) };
  }

  /** The serial number a label names; the session must have seen its first serial already. */
  serialOf(label: string): number {
    if (label === '0') return 0;
    const n = /^S(-?\d+)$/.exec(label);
    if (!n) throw new Error(`"${label}" is not a serial number label (S1, S2, …)`);
    if (this.serialBase === undefined) throw new Error(`${label} names a serial number before any was seen`);
    return this.serialBase + Number(n[1]) - 1;
  }
}

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

/** A message read, field by field in the labels' terms: what is compared, and what a scenario asserts. */
export function describeMessage(bytes: Buffer, m: Message, labels: Labels, pointerSize: PointerSize): [string, string][] {
  const rows: [string, string][] = [
    ['name', m.name],
    ['id', labels.id(m.id)],
    ['in reply to', labels.id(m.inReplyTo)],
    ['to', labels.ksock(m.to)],
    ['from', labels.ksock(m.from)],
    ['orig from', `${m.origFrom.networkId}:${labels.ksock(m.origFrom.localId)}`],
    ['final to', `${m.finalTo.networkId}:${labels.ksock(m.finalTo.localId)}`],
    ['extra', String(m.extra)],
    ['flags', `0x${m.flags.toString(16)}`],
    ['data', describeData(m, labels)],
  ];
  // Guards, holes and padding: everything the fields above do not say.
  const canonical = encodeEntire(m, pointerSize).equals(bytes);
  rows.push(['layout', canonical ? 'entire form, padding zero' : `other bytes: ${bytes.toString('hex')}`]);
  return rows;
}

function describeData(m: Message, labels: Labels): string {
  if (m.name === KBUS_NAME.REPLIER_BIND_EVENT) {
    try {
      const e = decodeReplierBindEvent(m.data);
      return `replier ${e.isBind ? 'bound' : 'unbound'}: ${labels.ksock(e.binder)} ${e.name}`;
    } catch {
      // Not a well-formed event: its bytes say what it is.
    }
  }
  return JSON.stringify(m.data.toString('latin1'));
}
