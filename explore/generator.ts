/**
 * Random KBUS sessions: what `kbus-conformance explore` runs on two implementations side by
 * side, and what the reference's property test runs on the reference alone. One generator for
 * both, so that whatever one learns to try, the other tries too.
 *
 * A session is a list of operations on up to {@link SLOTS} Ksocks. Operations name a Ksock by
 * its place among those open (`slot` modulo their count), so that few are wasted, and a reply
 * names the message it answers by its place among those the Ksock has read (`pick`).
 */

import fc from 'fast-check';
import { FLAG } from '../wire/constants';

export const NAMES = ['$.A', '$.A.B', '$.A.B.C', '$.B'];
/** Refused as a name: it ends in a dot. */
export const BAD_NAME = '$.B.';
export const BINDINGS = [...NAMES, '$.*', '$.A.*', '$.A.%', '$.KBUS.ReplierBindEvent', BAD_NAME];
export const SLOTS = 5;
export const DATA = ['', 'x', 'data:0123456789abcdef'];
/**
 * Header fields a sender may fill in besides name, flags, `to` and `in_reply_to`, which KBUS
 * either replaces or keeps: `extra`, and a message id with or without a network id.
 */
export const WRITTEN = {
  plain: {},
  extra: { extra: 7 },
  serial: { id: { networkId: 0, serialNum: 5 } },
  'network id': { id: { networkId: 3, serialNum: 5 } },
} as const;
export type Written = keyof typeof WRITTEN;
/** Every flag a sender may set, one bit KBUS does not define, and two KBUS sets itself. */
export const EXTRA_FLAGS = [FLAG.URGENT, FLAG.ALL_OR_WAIT, FLAG.ALL_OR_FAIL, FLAG.WANT_YOU_TO_REPLY, FLAG.SYNTHETIC, 0x10000];
/** The ioctls a session asks without changing anything. */
export const QUERIES = ['LENLEFT', 'NUMMSGS', 'UNREPLIEDTO', 'KSOCKID', 'LASTSENT', 'MAXMSGS', 'MAXMSGSIZE', 'REPLIER'] as const;
export type Query = (typeof QUERIES)[number];

// Mostly plain, so that sends go through and ordering has something to compare.
const flags = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.subarray(EXTRA_FLAGS).map((bits) => bits.reduce((a, b) => a | b, 0)) },
);
const slot = fc.nat(SLOTS - 1);
/** True one time in `n`. */
const oneIn = (n: number) => fc.nat(n - 1).map((x) => x === 0);
/** Usually absent (whole writes and reads); sometimes a piece size. */
const pieces = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 48 }) });

// Weighted towards traffic, with limits low enough that queues fill and sends wait.
export const operation = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), readOnly: oneIn(4) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), slot }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('bind' as const), slot, name: fc.constantFrom(...BINDINGS), replier: oneIn(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unbind' as const), slot, name: fc.constantFrom(...BINDINGS), replier: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('send' as const),
      slot,
      request: oneIn(3),
      name: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constant(BAD_NAME) }),
      flags,
      written: fc.oneof({ weight: 6, arbitrary: fc.constant('plain' as Written) }, { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(WRITTEN) as Written[])) }),
      /** A stateful request (or message) to the Ksock in this slot. */
      to: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: slot }),
      data: fc.constantFrom(...DATA),
      /** Written in pieces of this many bytes (0: in one write). */
      pieces,
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('reply' as const), slot, pick: fc.nat(), flags }) },
  /** NEXTMSG, then the whole message read at once or in pieces of this many bytes. */
  { weight: 6, arbitrary: fc.record({ op: fc.constant('next' as const), slot, pieces }) },
  /** NEXTMSG alone, and a read of part of the current message. */
  { weight: 2, arbitrary: fc.record({ op: fc.constant('take' as const), slot }) },
  // Half of them stop where a short name's data begins (after a header of 64 or 88 bytes).
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('read' as const),
      slot,
      count: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 66, max: 70 }), fc.integer({ min: 90, max: 94 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('discard' as const, 'poll' as const, 'retry' as const), slot }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('limit' as const), slot, value: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('once' as const), slot, value: fc.constantFrom(0, 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('report' as const), slot, value: fc.constantFrom(0, 1) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('query' as const), slot, query: fc.oneof({ weight: 4, arbitrary: fc.constant<Query>('LENLEFT') }, { weight: 7, arbitrary: fc.constantFrom(...QUERIES) }), name: fc.constantFrom(...NAMES) }) },
);

export type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

export const session = fc.array(operation, { minLength: 1, maxLength: 40, size: 'max' });

/** The two Ksocks every session starts with, before its operations. */
export const OPENING: readonly Operation[] = [
  { op: 'open', readOnly: false },
  { op: 'open', readOnly: false },
];
