/**
 * One random session played on one implementation through the adapter interface: each
 * operation of the generator becomes one action on a named Ksock (what a scenario's step
 * would say) and what the implementation answered, both in the terms of {@link Labels}, so
 * that two implementations that agree give equal records whatever ids they started from.
 */

import type { Adapter, Ksock, ScenarioBuses } from '../adapters/adapter';
import { FLAG, MAXMSGSIZE_QUERY, PointerSize } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { Message, MessageId, MessageInit, decodeEntire, encodeEntire } from '../wire/message';
import { Operation, Query, WRITTEN, Written } from './generator';
import { Labels, describeMessage } from './labels';

/** A message to send, in labels: what a scenario's table says. */
export interface MessageSpec {
  name: string;
  flags: number;
  /** A Ksock name, or absent. */
  to?: string;
  /** A serial label, or absent. */
  inReplyTo?: string;
  data: string;
  /** What else the sender filled in (generator's WRITTEN). */
  written?: Written;
}

/** What one operation did, in a scenario's terms; `null` when it had nothing to act on. */
export type Action =
  | { kind: 'open'; who: string; readOnly: boolean }
  | { kind: 'close' | 'discard' | 'poll' | 'retry' | 'take'; who: string }
  | { kind: 'bind' | 'unbind'; who: string; name: string; replier: boolean }
  | { kind: 'send'; who: string; message: MessageSpec; pieces: number }
  | { kind: 'next'; who: string; pieces: number }
  | { kind: 'read'; who: string; count: number }
  | { kind: 'limit' | 'once' | 'report'; who: string; value: number }
  | { kind: 'query'; who: string; query: Query; name: string };

/** What the implementation answered: a value (in labels) or the errno it refused with. */
export type Answer =
  | { ok: true; value: AnswerValue }
  | { ok: false; errno: string };

export type AnswerValue =
  | { number: number }
  | { ksock: string }
  | { id: string }
  | { done: true }
  | { poll: { readable: boolean; writable: boolean } }
  | { message: [string, string][] }
  | { noMessage: true }
  | { bytes: number; masked: string };

export interface Played {
  action: Action | null;
  answer?: Answer;
  /** Why the operation was left out: it would run into a deviation that must not be run. */
  notRun?: string;
}

/** Decides, before each operation, whether it may run on the implementation. */
export type Guard = (action: Action, state: KsockState) => string | undefined;

/** What a guard may know of the acting Ksock. */
export interface KsockState {
  /** A send with ALL_OR_WAIT was refused with EAGAIN and has not finished or been discarded. */
  waitingToSend: boolean;
  /** Bytes read of the current message, or undefined when none is current. */
  readPosition?: number;
}

interface Open extends KsockState {
  k: Ksock;
  name: string;
  id: number;
  /** Whole messages read, oldest first: what a reply may answer. */
  read: Message[];
}

export class SessionPlayer {
  private readonly slots: (Open | undefined)[];
  private readonly all: Open[] = [];
  readonly labels: Labels;
  operations = 0;

  constructor(
    private readonly buses: ScenarioBuses,
    private readonly pointerSize: PointerSize,
    slots: number,
    private readonly guard: Guard = () => undefined,
  ) {
    this.slots = new Array(slots).fill(undefined);
    this.labels = new Labels(
      (id) => this.all.find((o) => o.id === id)?.name,
      () => this.all[0]?.id ?? 0,
    );
  }

  static async begin(adapter: Adapter, slots: number, guard?: Guard): Promise<SessionPlayer> {
    return new SessionPlayer(await adapter.beginScenario(), adapter.pointerSize, slots, guard);
  }

  async end(): Promise<void> {
    await this.buses.end();
  }

  async play(o: Operation): Promise<Played> {
    const action = this.actionFor(o);
    if (!action) return { action };
    const acting = action.kind === 'open' ? undefined : this.byName(action.who);
    const notRun = acting && this.guard(action, acting);
    if (notRun) return { action, notRun };
    this.operations++;
    return { action, answer: await this.answer(() => this.perform(action, acting)) };
  }

  /** Turns an operation into an action on named Ksocks, or null when there is nothing to act on. */
  private actionFor(o: Operation): Action | null {
    if (o.op === 'open') {
      if (!this.slots.includes(undefined)) return null;
      return { kind: 'open', who: `K${this.all.length + 1}`, readOnly: o.readOnly };
    }
    const open = this.open();
    if (open.length === 0) return null;
    const s = open[o.slot % open.length];
    const who = s.name;
    switch (o.op) {
      case 'close':
      case 'discard':
      case 'poll':
      case 'retry':
      case 'take':
        return { kind: o.op, who };
      case 'bind':
      case 'unbind':
        return { kind: o.op, who, name: o.name, replier: o.replier };
      case 'send': {
        const to = o.to === undefined ? undefined : open[o.to % open.length].name;
        const flags = (o.request ? FLAG.WANT_A_REPLY : 0) | o.flags;
        const message = { name: o.name, flags, data: o.data, ...(to && { to }), ...(o.written !== 'plain' && { written: o.written }) };
        return { kind: 'send', who, message, pieces: o.pieces };
      }
      case 'reply': {
        if (s.read.length === 0) return null;
        const m = s.read[o.pick % s.read.length];
        const message = { name: m.name, flags: o.flags, to: this.labels.ksock(m.from), inReplyTo: this.labels.id(m.id), data: '' };
        return { kind: 'send', who, message, pieces: 0 };
      }
      case 'next':
        return { kind: 'next', who, pieces: o.pieces };
      case 'read':
        return { kind: 'read', who, count: o.count };
      case 'limit':
      case 'once':
      case 'report':
        return { kind: o.op, who, value: o.value };
      case 'query':
        return { kind: 'query', who, query: o.query, name: o.name };
    }
  }

  private async answer(fn: () => Promise<AnswerValue>): Promise<Answer> {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      if (e instanceof KbusError) return { ok: false, errno: e.errno };
      // Anything else is the implementation failing (or its adapter): no reference ever does.
      return { ok: false, errno: `fault: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
    }
  }

  private async perform(action: Action, s: Open | undefined): Promise<AnswerValue> {
    if (action.kind === 'open') return this.openKsock(action.who, action.readOnly);
    if (!s) throw new Error(`no Ksock ${action.who}`);
    const k = s.k;
    switch (action.kind) {
      case 'close':
        this.slots[this.slots.indexOf(s)] = undefined;
        await k.close();
        return { done: true };
      case 'discard':
        await k.discard();
        s.waitingToSend = false;
        return { done: true };
      case 'poll': {
        const r = await k.poll({ readable: true, writable: true }, 0);
        if (r.writable) s.waitingToSend = false;
        return { poll: { readable: r.readable, writable: r.writable } };
      }
      case 'retry':
        return this.sendWritten(s, 0);
      case 'bind':
        await k.bind(action.name, action.replier);
        return { done: true };
      case 'unbind':
        await k.unbind(action.name, action.replier);
        return { done: true };
      case 'send':
        await writeInPieces(k, encodeEntire(this.messageInit(action.message), this.pointerSize), action.pieces);
        return this.sendWritten(s, action.message.flags);
      case 'next':
        return this.next(s, action.pieces);
      case 'take': {
        const length = await k.nextMsg();
        s.readPosition = length === 0 ? undefined : 0;
        return { number: length };
      }
      case 'read':
        return this.readPart(s, action.count);
      case 'limit':
        return { number: await k.maxMsgs(action.value) };
      case 'once':
        return { number: await k.msgOnlyOnce(action.value) };
      case 'report':
        return { number: await k.reportReplierBinds(action.value) };
      case 'query':
        return this.query(s, action.query, action.name);
    }
  }

  /** A message spec in this implementation's ids. */
  messageInit(spec: MessageSpec): MessageInit {
    return {
      ...(spec.written && WRITTEN[spec.written]),
      name: spec.name,
      flags: spec.flags,
      data: Buffer.from(spec.data, 'latin1'),
      ...(spec.to && { to: this.ksockOf(spec.to) }),
      ...(spec.inReplyTo && { inReplyTo: this.labels.idOf(spec.inReplyTo) }),
    };
  }

  private async openKsock(name: string, readOnly: boolean): Promise<AnswerValue> {
    const k = await this.buses.bus.open(readOnly ? 'r' : 'rw');
    const s: Open = { k, name, id: await k.ksockId(), read: [], waitingToSend: false };
    this.slots[this.slots.indexOf(undefined)] = s;
    this.all.push(s);
    return { ksock: this.labels.ksock(s.id) };
  }

  private async sendWritten(s: Open, flags: number): Promise<AnswerValue> {
    try {
      const id = await s.k.send();
      s.waitingToSend = false;
      return { id: this.labels.id(id) };
    } catch (e) {
      if (e instanceof KbusError && e.errno === 'EAGAIN' && flags & FLAG.ALL_OR_WAIT) s.waitingToSend = true;
      throw e;
    }
  }

  private async next(s: Open, pieces: number): Promise<AnswerValue> {
    const length = await s.k.nextMsg();
    s.readPosition = length === 0 ? undefined : 0;
    if (length === 0) return { noMessage: true };
    const bytes = await readMessage(s.k, length, pieces);
    s.readPosition = bytes.length;
    let m: Message;
    try {
      m = decodeEntire(bytes, this.pointerSize);
    } catch {
      return { message: [['undecodable bytes', `${length} promised: ${bytes.toString('hex')}`]] };
    }
    s.read.push(m);
    return { message: messageRows(bytes, m, length, this.labels, this.pointerSize) };
  }

  private async readPart(s: Open, count: number): Promise<AnswerValue> {
    const bytes = await s.k.read(count);
    const start = s.readPosition ?? 0;
    if (s.readPosition !== undefined) s.readPosition += bytes.length;
    return { bytes: bytes.length, masked: maskIds(bytes, start) };
  }

  private async query(s: Open, query: Query, name: string): Promise<AnswerValue> {
    const value = await ask(s.k, query, name);
    if (query === 'LASTSENT') return { id: this.labels.id(value as MessageId) };
    if (query === 'KSOCKID' || query === 'REPLIER') return { ksock: this.labels.ksock(value as number) };
    return { number: value as number };
  }

  /** The Ksock id a label names (0 for none, K1+n for one the session did not open). */
  private ksockOf(label: string): number {
    if (label === '0') return 0;
    const beyond = /^K1([+-]\d+)$/.exec(label);
    return beyond ? this.all[0].id + Number(beyond[1]) : this.byName(label).id;
  }

  private open(): Open[] {
    return this.slots.filter((s): s is Open => s !== undefined);
  }

  private byName(name: string): Open {
    const s = this.all.find((o) => o.name === name);
    if (!s) throw new Error(`no Ksock ${name} in this session`);
    return s;
  }
}

/** Writes `bytes` whole, or in pieces of `pieces` bytes; a short write ends it (the rest is not accepted). */
export async function writeInPieces(k: Ksock, bytes: Buffer, pieces: number): Promise<void> {
  const size = pieces === 0 ? bytes.length : pieces;
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    if ((await k.write(piece)) !== piece.length) return;
  }
}

/** The rest of the current message (`length` bytes from its start), at once or in pieces; a read that gives nothing ends it. */
export async function readMessage(k: Ksock, length: number, pieces: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let got = 0; pieces !== 0 || got < length; ) {
    const part = await k.read(pieces === 0 ? length - got : pieces);
    if (part.length === 0) break;
    parts.push(part);
    got += part.length;
  }
  return Buffer.concat(parts);
}

/** A message read, described field by field, and whether it was as long as NEXTMSG said. */
export function messageRows(bytes: Buffer, m: Message, length: number, labels: Labels, pointerSize: PointerSize): [string, string][] {
  const rows = describeMessage(bytes, m, labels, pointerSize);
  if (bytes.length !== length) rows.push(['length', `NEXTMSG said ${length}, read ${bytes.length}`]);
  return rows;
}

/** One of the ioctls that only ask: its answer as the device gives it. */
export function ask(k: Ksock, query: Query, name: string): Promise<number | MessageId> {
  switch (query) {
    case 'LENLEFT':
      return k.lenLeft();
    case 'NUMMSGS':
      return k.numMsgs();
    case 'UNREPLIEDTO':
      return k.unrepliedTo();
    case 'KSOCKID':
      return k.ksockId();
    case 'LASTSENT':
      return k.lastSent();
    case 'MAXMSGS':
      return k.maxMsgs(0);
    case 'MAXMSGSIZE':
      return k.maxMsgSize(MAXMSGSIZE_QUERY);
    case 'REPLIER':
      return k.replierOf(name);
  }
}

/** Fields whose serial or Ksock id a partial read cannot label: [from, to) byte offsets. */
const ID_FIELDS: [number, number][] = [
  [8, 12],
  [16, 28],
  [32, 36],
  [40, 44],
];

/** Bytes read from `start` of the current message, in hex, ids zeroed: comparable across implementations. */
export function maskIds(bytes: Buffer, start: number): string {
  const masked = Buffer.from(bytes);
  for (const [from, to] of ID_FIELDS) {
    for (let i = Math.max(from, start); i < Math.min(to, start + bytes.length); i++) masked[i - start] = 0;
  }
  return masked.toString('hex');
}
