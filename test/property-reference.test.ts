/**
 * Properties of the reference under random sequences of Ksock operations, checked against the
 * promises of the spec (beyond "KbusError only, invariants hold", which the harness checks
 * after every call):
 *
 * - every request that was sent gets exactly one reply or synthetic reply while its requester
 *   stays open (two when a Ksock other than its replier answered it first: REQ-08), and no
 *   Ksock is sent a reply it is not waiting for;
 * - every Ksock sees the messages it has in common with another in the same order (BC-04,
 *   URGENT and KBUS's own messages aside);
 * - message ids ascend (ID-01, ID-02);
 * - a Ksock whose queue is full (queued messages plus reply slots reserved for its own requests
 *   at or over its limit, Q-07) is given no new message but answers to its requests, which
 *   may use the reserved slots (SYN-08). Room is judged once per send, before anything is
 *   queued, so one send may leave a queue past its limit through several bindings.
 *
 * The sequences come from explore/generator.ts, the generator `kbus-conformance explore` plays
 * on two implementations side by side: one generator, so both try the same things.
 *
 * Fixed seed and bounded runs for `npm test`; KBUS_PROPERTY_RUNS and KBUS_PROPERTY_SEED run more.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FLAG, KBUS_NAME } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { Message, MessageId, MessageInit, decodeEntire, encodeEntire, formatId } from '../wire/message';
import type { Ksock } from '../reference/ksock';
import { KbusPolicy, type QueueState } from '../reference/policy';
import type { SystemOptions } from '../reference/system';
import { Harness } from './reference-harness';
import { Operation, Query, SLOTS, WRITTEN, session as sequences } from '../explore/generator';
import { propertyRuns } from './property-runs';



const key = (id: MessageId) => `${id.networkId}:${id.serialNum}`;
const isReply = (m: Pick<Message, 'inReplyTo'>) => m.inReplyTo.networkId !== 0 || m.inReplyTo.serialNum !== 0;

/** A request as its requester sees it: the distinct messages that answered it. */
interface Request {
  requester: Open;
  /** Delivered (SEND returned its id, or a waiting send went through): an answer is owed. */
  owed: boolean;
  /** Answered by a Ksock that had not been asked to (REQ-08): the replier may still answer too. */
  byStranger: boolean;
  answers: Set<string>;
}

interface Open {
  k: Ksock;
  id: number;
  /** Every message read, in order. */
  read: Message[];
  /** Requests read as their replier and not yet answered by us. */
  toAnswer: Message[];
  bindings: { name: string; replier: boolean }[];
  /** The request waiting in ALL_OR_WAIT sending state, if any. */
  waiting?: MessageId;
}

const tried = { sequences: 0, operations: 0, refused: 0, sent: 0, read: 0, answered: 0, orderings: 0 };

class Model {
  readonly h: Harness;
  readonly slots: (Open | undefined)[] = new Array(SLOTS).fill(undefined);
  readonly requests = new Map<string, Request>();
  private lastId = 0;

  constructor(options: SystemOptions) {
    this.h = new Harness(options);
  }

  apply(o: Operation): void {
    tried.operations++;
    const full = new Map(this.open().filter(isFull).map((s) => [s, new Set(s.k.queue)]));
    try {
      this.step(o);
    } catch (e) {
      if (!(e instanceof KbusError)) throw e;
      tried.refused++;
    }
    for (const [s, before] of full) {
      const added = [...s.k.queue].filter((copy) => !before.has(copy) && !isAnswerTo(s, copy.message.message));
      assert.deepEqual(added.map((c) => c.message.message.name), [], `Ksock ${s.id} was full (limit ${s.k.limit}) yet was given more`);
    }
  }

  open(): Open[] {
    return this.slots.filter((s): s is Open => s !== undefined);
  }

  /** Operations name Ksocks by their place among the open ones, so that few are wasted. */
  private step(o: Operation): void {
    if (o.op === 'open') {
      const free = this.slots.indexOf(undefined);
      if (free >= 0) this.slots[free] = this.opened(this.h.open(o.readOnly ? 'r' : 'rw'));
      return;
    }
    const open = this.open();
    if (open.length === 0) return;
    const s = open[o.slot % open.length];
    switch (o.op) {
      case 'close':
        this.slots[this.slots.indexOf(s)] = undefined;
        return s.k.close();
      case 'bind':
        s.k.bind(o.name, o.replier);
        s.bindings.push({ name: o.name, replier: o.replier });
        return;
      case 'unbind': {
        s.k.unbind(o.name, o.replier);
        const i = s.bindings.map((b) => b.name === o.name && b.replier === o.replier).lastIndexOf(true);
        s.bindings.splice(i, 1);
        return;
      }
      case 'send': {
        const to = o.to === undefined ? 0 : open[o.to % open.length].id;
        const init = { ...WRITTEN[o.written], name: o.name, flags: (o.request ? FLAG.WANT_A_REPLY : 0) | o.flags, to, data: Buffer.from(o.data, 'latin1') };
        return this.send(s, init, o.pieces);
      }
      case 'reply':
        return this.reply(s, o.pick, o.flags);
      case 'next':
        this.next(s, o.pieces);
        return;
      case 'take': {
        // Taken without reading: the model still sees what it was.
        if (s.k.nextMsg() > 0) this.noteRead(s, decodeEntire(s.k.currentMessage()!.bytes, this.h.pointerSize));
        return;
      }
      case 'read':
        s.k.read(o.count);
        return;
      case 'report':
        s.k.reportReplierBinds(o.value);
        return;
      case 'query':
        return query(s.k, o.query, o.name);
      case 'discard':
        s.k.discard();
        s.waiting = undefined;
        return;
      case 'poll': {
        const { writable } = s.k.poll();
        if (writable) this.waitOver(s);
        return;
      }
      case 'retry':
        this.sendWritten(s, false, s.waiting !== undefined);
        return;
      case 'limit':
        s.k.maxMsgs(o.value);
        return;
      case 'once':
        s.k.msgOnlyOnce(o.value);
        return;
    }
  }

  private opened(k: Ksock): Open {
    return { k, id: k.ksockId(), read: [], toAnswer: [], bindings: [] };
  }

  private send(s: Open, init: MessageInit, pieces = 0): void {
    const bytes = encodeEntire(init, this.h.pointerSize);
    const size = pieces === 0 ? bytes.length : pieces;
    for (let at = 0; at < bytes.length; at += size) s.k.write(bytes.subarray(at, at + size));
    this.sendWritten(s, ((init.flags ?? 0) & FLAG.WANT_A_REPLY) !== 0, false);
  }

  /** SEND of what `s` wrote, or (retry) of the message waiting in sending state, and what follows from it. */
  private sendWritten(s: Open, isRequest: boolean, retry: boolean): MessageId {
    let id: MessageId;
    try {
      id = s.k.send();
    } catch (e) {
      if (!(e instanceof KbusError) || e.errno !== 'EAGAIN') {
        // ALL-08: a retry that fails for any other reason drops the waiting message.
        if (retry) s.waiting = undefined;
      } else if (!retry) {
        s.waiting = s.k.lastSent();
        this.noteId(s.waiting);
        if (isRequest) this.requests.set(key(s.waiting), { requester: s, owed: false, byStranger: false, answers: new Set() });
      }
      throw e;
    }
    if (retry) {
      assert.equal(key(id), key(s.waiting!), 'a retried send keeps its id (ALL-08)');
      this.waitOver(s);
    } else {
      tried.sent++;
      this.noteId(id);
      if (isRequest) this.requests.set(key(id), { requester: s, owed: true, byStranger: false, answers: new Set() });
    }
    return id;
  }

  /** The waiting send went through, or failed for good and was answered by KBUS: either way an answer is owed. */
  private waitOver(s: Open): void {
    if (s.waiting) {
      const request = this.requests.get(key(s.waiting));
      if (request) request.owed = true;
    }
    s.waiting = undefined;
  }

  private noteId(id: MessageId): void {
    // An id from another network is kept as written (ID-04): not one of this bus's serials.
    if (id.networkId !== 0) return;
    assert.ok(id.serialNum > this.lastId, `id ${formatId(id)} after serial ${this.lastId}: ids must ascend`);
    this.lastId = id.serialNum;
  }

  /** Answers a request this Ksock read (as replier or not), or something that is not one. */
  private reply(s: Open, pick: number, flags: number): void {
    const candidates = [...s.toAnswer, ...s.read.filter((m) => m.flags & FLAG.WANT_A_REPLY), ...s.read.slice(-2)];
    if (candidates.length === 0) return;
    const m = candidates[pick % candidates.length];
    const asked = s.toAnswer.findIndex((r) => key(r.id) === key(m.id) && r.from === m.from);
    s.k.write(encodeEntire({ name: m.name, inReplyTo: m.id, to: m.from, flags }, this.h.pointerSize));
    this.sendWritten(s, false, false);
    if (asked >= 0) s.toAnswer.splice(asked, 1);
    else {
      const request = this.requests.get(key(m.id));
      if (request) request.byStranger = true;
    }
  }

  next(s: Open, pieces = 0): Message | null {
    const length = s.k.nextMsg();
    if (length === 0) return null;
    const parts: Buffer[] = [];
    for (let got = 0; got < length; ) {
      const part = s.k.read(pieces === 0 ? length - got : pieces);
      assert.ok(part.length > 0, `read gave nothing with ${length - got} bytes of the message left`);
      parts.push(part);
      got += part.length;
    }
    const m = decodeEntire(Buffer.concat(parts), this.h.pointerSize);
    this.noteRead(s, m);
    return m;
  }

  private noteRead(s: Open, m: Message): void {
    s.read.push(m);
    tried.read++;
    if (m.flags & FLAG.WANT_YOU_TO_REPLY) s.toAnswer.push(m);
    if (isAnswerTo(s, m)) this.answered(s, m);
  }

  private answered(s: Open, m: Message): void {
    const request = this.requests.get(key(m.inReplyTo));
    // SYN-05: a waiting reply whose requester vanished comes back to its sender as Disappeared.
    if (m.name === KBUS_NAME.DISAPPEARED && request?.requester !== s) return;
    assert.ok(request?.requester === s, `Ksock ${s.id} got ${m.name} ${formatId(m.id)} in reply to ${formatId(m.inReplyTo)}, which it never asked`);
    request.answers.add(key(m.id));
    const allowed = request.byStranger ? 2 : 1;
    assert.ok(request.answers.size <= allowed, `request ${formatId(m.inReplyTo)} of Ksock ${s.id} answered ${request.answers.size} times`);
  }

  /**
   * Lets every owed answer arrive: room everywhere, waiting sends abandoned, replier bindings
   * dropped (Unbound for what they queued), and every request read as replier answered.
   */
  settle(): void {
    for (const s of this.open()) {
      s.k.maxMsgs(1000);
      s.k.discard();
      s.waiting = undefined;
    }
    this.drain();
    for (const s of this.open()) {
      for (const b of s.bindings.filter((b) => b.replier).reverse()) s.k.unbind(b.name, true);
      s.bindings = s.bindings.filter((b) => !b.replier);
    }
    // A read-only replier cannot write its answers: KBUS gives them (Ignored) when it closes.
    this.slots.forEach((s, i) => {
      if (s?.k.mode === 'r' && s.toAnswer.length > 0) {
        s.k.close();
        this.slots[i] = undefined;
      }
    });
    for (const s of this.open()) {
      for (const m of s.toAnswer.splice(0)) {
        try {
          s.k.write(encodeEntire({ name: m.name, inReplyTo: m.id, to: m.from }, this.h.pointerSize));
          this.sendWritten(s, false, false);
        } catch (e) {
          // Already answered by a stranger, or its requester has gone.
          if (!(e instanceof KbusError && (e.errno === 'ECONNREFUSED' || e.errno === 'EADDRNOTAVAIL'))) throw e;
        }
      }
    }
    this.drain();
  }

  private drain(): void {
    for (const s of this.open()) while (this.next(s));
  }
}

function query(k: Ksock, q: Query, name: string): void {
  const ask: Record<Query, () => unknown> = {
    LENLEFT: () => k.lenLeft(),
    NUMMSGS: () => k.numMsgs(),
    UNREPLIEDTO: () => k.unrepliedTo(),
    KSOCKID: () => k.ksockId(),
    LASTSENT: () => k.lastSent(),
    MAXMSGS: () => k.maxMsgs(0),
    MAXMSGSIZE: () => k.maxMsgSize(0),
    REPLIER: () => k.replierOf(name),
  };
  ask[q]();
}

/** Full as Q-07 defines it: queued messages plus reply slots reserved for its own requests. */
function isFull(s: Open): boolean {
  return s.k.queue.length + s.k.reserved >= s.k.limit;
}

/** A reply, real or synthetic, to one of this Ksock's own requests. */
function isAnswerTo(s: Open, m: Message): boolean {
  return isReply(m) && m.to === s.id;
}

/** The user messages both saw, without URGENT ones, in each one's reading order. */
function commonOrder(a: Open, b: Open): [string[], string[]] {
  const ordered = (s: Open) => [...new Set(s.read.filter((m) => !(m.flags & FLAG.URGENT) && !m.name.startsWith('$.KBUS.')).map((m) => key(m.id)))];
  const [x, y] = [ordered(a), ordered(b)];
  return [x.filter((id) => y.includes(id)), y.filter((id) => x.includes(id))];
}

function check(operations: Operation[], options: SystemOptions = {}): void {
  tried.sequences++;
  const model = new Model(options);
  model.apply({ op: 'open', readOnly: false });
  model.apply({ op: 'open', readOnly: false });
  for (const o of operations) model.apply(o);
  model.settle();

  for (const [id, request] of model.requests) {
    if (!request.owed || !model.open().includes(request.requester)) continue;
    assert.ok(request.answers.size >= 1, `request ${id} of Ksock ${request.requester.id} was never answered`);
    tried.answered++;
  }
  const open = model.open();
  for (const s of open) assert.equal(s.k.reserved, 0, `Ksock ${s.id} still holds reply slots with every request answered`);
  for (let i = 0; i < open.length; i++) {
    for (let j = i + 1; j < open.length; j++) {
      const [x, y] = commonOrder(open[i], open[j]);
      if (x.length > 1) tried.orderings++;
      assert.deepEqual(x, y, `Ksocks ${open[i].id} and ${open[j].id} saw their common messages in different orders`);
    }
  }
  for (const s of open) s.k.close();
  const device = model.h.system.device(0);
  assert.deepEqual([device.ksocks.size, device.bindings.size, device.setAside.size], [0, 0, 0], 'the device holds nothing once every Ksock has closed');
}

/** Variants that break one promise each: the properties must notice every one. */
const BROKEN: [string, KbusPolicy][] = [
  ['no synthetic replies', new (class extends KbusPolicy {
    override syntheticReply() { return null; }
  })()],
  ['serial numbers that stand still', new (class extends KbusPolicy {
    override nextSerial(last: number) { return last || 1; }
  })()],
  ['every copy queued at the front', new (class extends KbusPolicy {
    override queuesAtFront() { return true; }
  })()],
  ['reserved reply slots not counted', new (class extends KbusPolicy {
    override isFull(k: QueueState) { return k.queued >= k.limit; }
  })()],
];

describe('the reference under random operation sequences', () => {
  it('keeps the promises of requests, ordering, ids and queue limits', (t) => {
    const { numRuns, seed } = propertyRuns(200);
    fc.assert(fc.property(sequences, (operations) => check(operations)), { numRuns, seed, includeErrorInReport: true });
    t.diagnostic(
      `seed ${seed}: ${tried.sequences} sequences (shrinking included), ${tried.operations} operations (${tried.refused} refused with a KbusError), ` +
        `${tried.sent} messages sent, ${tried.read} read, ${tried.answered} requests seen answered, ${tried.orderings} pairs of Ksocks with common messages compared`,
    );
  });

  for (const [what, policy] of BROKEN) {
    it(`notice a reference with ${what}`, () => {
      const { seed } = propertyRuns(0);
      const result = fc.check(fc.property(sequences, (operations) => check(operations, { policy })), { numRuns: 1000, seed });
      assert.ok(result.failed, `no sequence of ${result.numRuns} exposed it`);
    });
  }
});
