/**
 * Random and mutated byte strings written as messages. The decoder (wire/message.ts) and the
 * reference's writer judge the same bytes independently; they must agree on the errno (ORD-01's
 * order of checks), throw nothing but KbusError, and leave the Ksock able to send the next
 * message. Valid messages are delivered with only the fields KBUS rewrites changed (ID-01..09).
 *
 * Fixed seed and bounded runs for `npm test`; KBUS_PROPERTY_RUNS and KBUS_PROPERTY_SEED run more.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { END_GUARD, FLAG, PointerSize, START_GUARD } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { Message, MessageInit, decodeEntire, decodeHeader, emptyHeader, encodeEntire, encodeHeader, headerError, headerSize, isEntireForm } from '../wire/message';
import { Harness } from './reference-harness';
import { propertyRuns } from './property-runs';

const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => `$.${words.join('.')}`);
const u32 = fc.nat({ max: 0xffffffff });
/** fast-check builds records without a prototype; messages the decoder returns have one. */
const plain = <T extends object>(record: fc.Arbitrary<T>) => record.map((r) => ({ ...r }));
const id = plain(fc.record({ networkId: fc.oneof(fc.constant(0), u32), serialNum: u32 }));
const address = plain(fc.record({ networkId: u32, localId: u32 }));
const zeroOr = <T>(zero: T, other: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(zero) }, { weight: 1, arbitrary: other });

const message: fc.Arbitrary<MessageInit> = plain(fc.record({
  name,
  data: fc.uint8Array({ maxLength: 100 }).map((d) => Buffer.from(d)),
  id: zeroOr({ networkId: 0, serialNum: 0 }, id),
  inReplyTo: zeroOr({ networkId: 0, serialNum: 0 }, id),
  // Small ids name the Ksocks of the test, so that some replies find a Ksock that is not waiting.
  to: zeroOr(0, fc.oneof(u32, fc.constantFrom(1, 2, 3))),
  from: u32,
  origFrom: address,
  finalTo: address,
  extra: u32,
  flags: zeroOr(0, fc.oneof(u32, fc.constantFrom(FLAG.WANT_A_REPLY, FLAG.URGENT, FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL, FLAG.SYNTHETIC))),
}));

/** Values a corrupted header word is most likely to trip a check with. */
const interesting = fc.oneof(u32, fc.constantFrom(0, 1, 2, 3, 999, 1000, 1001, 1024, 0xffffffff, START_GUARD, END_GUARD));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: interesting }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const b = Buffer.from(bytes);
  if (b.length === 0 && m.kind !== 'append') return b;
  switch (m.kind) {
    case 'byte':
      b[m.at % b.length] = m.value;
      return b;
    case 'word': {
      // Header words sit at multiples of 4, and so does every padded section after it.
      const at = 4 * (m.at % Math.ceil(b.length / 4));
      if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at);
      return b;
    }
    case 'cut':
      return b.subarray(0, m.at % b.length);
    case 'append':
      return Buffer.concat([b, m.bytes]);
  }
}

const pointerSize = fc.constantFrom<PointerSize>(8, 4);

/** Bytes to write, in chunks cut at `cuts`, with the pointer size of the device they go to. */
const input = fc.record({
  pointerSize,
  source: fc.oneof(
    { weight: 1, arbitrary: fc.record({ random: fc.uint8Array({ maxLength: 300 }) }) },
    { weight: 3, arbitrary: fc.record({ message, mutations: fc.array(mutation, { maxLength: 4 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        pointy: fc.record({ nameLen: fc.nat(1100), dataLen: fc.oneof(fc.constant(0), fc.nat(2000)), namePtr: fc.bigInt(0n, 0xffffffffn), dataPtr: fc.bigInt(0n, 0xffffffffn) }),
        surplus: fc.uint8Array({ maxLength: 8 }),
      }),
    },
  ),
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function bytesOf(i: Input): Buffer {
  const source = i.source;
  if ('random' in source) return Buffer.from(source.random);
  if ('pointy' in source) return Buffer.concat([encodeHeader({ ...emptyHeader(), ...source.pointy }, i.pointerSize), source.surplus]);
  return source.mutations.reduce(mutate, encodeEntire(source.message, i.pointerSize));
}

function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, [...at, bytes.length][i]));
}

/** The decoder's verdict: the message, or its errno; anything but a KbusError fails the test. */
function decoded(bytes: Buffer, pointerSize: PointerSize, maxMessageSize: number): Message | string {
  try {
    return decodeEntire(bytes, pointerSize, maxMessageSize);
  } catch (e) {
    if (!(e instanceof KbusError)) assert.fail(`the decoder threw ${e instanceof Error ? e.stack : String(e)}`);
    return e.errno;
  }
}

function errnoOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (e) {
    assert.ok(e instanceof KbusError);
    return e.errno;
  }
}

/** A complete pointy header: the device takes it as a whole message, the decoder refuses it. */
function isPointyHeader(bytes: Buffer, pointerSize: PointerSize, maxMessageSize: number): boolean {
  if (bytes.length < headerSize(pointerSize)) return false;
  const h = decodeHeader(bytes, pointerSize);
  return headerError(h, maxMessageSize, pointerSize) === null && !isEntireForm(h);
}

/** What the device must answer for these bytes, written and sent: an errno, or null for a delivery. */
function expectedErrno(bytes: Buffer, verdict: Message | string, pointerSize: PointerSize, maxMessageSize: number, ids: number[]): string | null {
  if (bytes.length === 0) return 'ENOMSG';
  // Past the header a pointy message is complete, so more bytes are surplus; at SEND its pointers lead nowhere here.
  if (isPointyHeader(bytes, pointerSize, maxMessageSize)) return bytes.length > headerSize(pointerSize) ? 'EMSGSIZE' : 'EFAULT';
  if (typeof verdict === 'string') return verdict;
  if (verdict.flags & FLAG.WANT_A_REPLY) return 'EADDRNOTAVAIL'; // nobody is bound as replier
  if (verdict.inReplyTo.networkId !== 0 || verdict.inReplyTo.serialNum !== 0) return ids.includes(verdict.to) ? 'ECONNREFUSED' : 'EADDRNOTAVAIL';
  return null;
}

const tried = { strings: 0, delivered: 0, refused: new Map<string, number>() };

function check(i: Input): void {
  tried.strings++;
  const h = new Harness({ pointerSize: i.pointerSize });
  const [writer, listener] = [h.open(), h.open()];
  listener.bind('$.*');
  const max = h.system.device(0).maxMessageSize;
  const bytes = bytesOf(i);
  const verdict = decoded(bytes, i.pointerSize, max);
  const expected = expectedErrno(bytes, verdict, i.pointerSize, max, [writer.ksockId(), listener.ksockId()]);

  let errno: string | null = null;
  for (const chunk of chunks(bytes, i.cuts)) {
    errno = errnoOf(() => writer.write(chunk));
    if (errno) break;
  }
  const sent = errno ? undefined : errnoOf(() => writer.send());
  errno ??= sent ?? null;
  assert.equal(errno, expected, `decoder: ${typeof verdict === 'string' ? verdict : 'a valid message'}`);
  tried.refused.set(errno ?? 'none', (tried.refused.get(errno ?? 'none') ?? 0) + 1);

  if (errno === null) {
    tried.delivered++;
    const m = verdict as Message;
    const got = h.next(listener);
    assert.ok(got, 'the listener got the message');
    const lastSent = writer.lastSent();
    assert.deepEqual(got, {
      ...m,
      id: m.id.networkId === 0 ? lastSent : m.id,
      from: writer.ksockId(),
      extra: 0,
      flags: (m.flags & ~FLAG.SYNTHETIC & ~FLAG.WANT_YOU_TO_REPLY) >>> 0,
    });
  } else {
    // Whatever went wrong, nothing is left half-written (LAY-09, LAY-10) and nothing was delivered.
    assert.equal(errnoOf(() => writer.send()), 'ENOMSG');
  }
  assert.equal(h.next(listener), null);
  // The Ksock still works: the next message goes through untouched.
  h.send(writer, { name: '$.Still.Working', data: Buffer.from('ok') });
  assert.equal(h.next(listener)?.name, '$.Still.Working');
}

describe('byte strings written as messages', () => {
  it('get the same errno from the decoder and the reference, and break nothing', (t) => {
    const { numRuns, seed } = propertyRuns(2000);
    fc.assert(fc.property(input, check), { numRuns, seed, includeErrorInReport: true });
    const refused = [...tried.refused].sort(([, a], [, b]) => b - a).map(([errno, n]) => `${errno} ${n}`);
    t.diagnostic(`seed ${seed}: ${tried.strings} byte strings (shrinking included), ${tried.delivered} delivered; outcomes: ${refused.join(', ')}`);
  });

  it('decode what they encode, for either pointer size', () => {
    const { numRuns, seed } = propertyRuns(500);
    fc.assert(
      fc.property(message, pointerSize, (m, p) => {
        const both = FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL;
        fc.pre(((m.flags ?? 0) & both) !== both); // refused, rightly (ALL-02)
        assert.deepEqual(decodeEntire(encodeEntire(m, p), p), m);
      }),
      { numRuns, seed, includeErrorInReport: true },
    );
  });
});
