/**
 * Random sequences of operations, valid and not: whatever the caller does, the reference only
 * ever refuses with a KbusError and its invariants hold after every step (the harness checks).
 */

import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FLAG, SWITCH_QUERY } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { encodeEntire } from '../wire/message';
import type { Ksock } from '../reference/ksock';
import { Harness } from './reference-harness';

const NAMES = ['$.A', '$.A.B', '$.A.C.D', '$.B'];
const BINDINGS = [...NAMES, '$.*', '$.A.*', '$.A.%', '$.%', '$.KBUS.ReplierBindEvent', '$.bad.', 'x'];
const FLAGS = [0, FLAG.WANT_A_REPLY, FLAG.URGENT, FLAG.ALL_OR_FAIL, FLAG.ALL_OR_WAIT, FLAG.WANT_A_REPLY | FLAG.ALL_OR_WAIT, FLAG.WANT_A_REPLY | FLAG.URGENT];

// Weighted towards traffic so that queues fill, requests wait and bindings come and go.
const operation = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('open' as const), readOnly: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), k: fc.nat(5) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('bind' as const, 'unbind' as const), k: fc.nat(5), name: fc.constantFrom(...BINDINGS), replier: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('send' as const),
      k: fc.nat(5),
      name: fc.constantFrom(...NAMES),
      flags: fc.constantFrom(...FLAGS),
      to: fc.nat(6),
      replyTo: fc.option(fc.nat(12), { nil: undefined }),
      split: fc.nat(120),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('junk' as const), k: fc.nat(5), bytes: fc.uint8Array({ maxLength: 120 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('next' as const, 'discard' as const, 'poll' as const, 'retry' as const), k: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('read' as const), k: fc.nat(5), count: fc.integer({ min: -2, max: 200 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('limit' as const), k: fc.nat(5), value: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('once' as const, 'report' as const), k: fc.nat(5), value: fc.constantFrom(0, 1, 2, SWITCH_QUERY) }) },
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

function run(h: Harness, ksocks: Ksock[], o: Operation): void {
  if (o.op === 'open') {
    ksocks.push(h.open(o.readOnly ? 'r' : 'rw'));
    return;
  }
  const k = ksocks[o.k % Math.max(ksocks.length, 1)];
  if (!k) return;
  switch (o.op) {
    case 'close': return k.close();
    case 'bind': return k.bind(o.name, o.replier);
    case 'unbind': return k.unbind(o.name, o.replier);
    case 'send': {
      const bytes = encodeEntire({ name: o.name, flags: o.flags, to: o.to, inReplyTo: o.replyTo ? { networkId: 0, serialNum: o.replyTo } : undefined }, h.pointerSize);
      k.write(bytes.subarray(0, o.split));
      k.write(bytes.subarray(o.split));
      k.send();
      return;
    }
    case 'junk': k.write(o.bytes); return;
    case 'next': k.nextMsg(); return;
    case 'discard': return k.discard();
    case 'poll': k.poll(); return;
    case 'retry': k.send(); return;
    case 'read': k.read(o.count); return;
    case 'limit': k.maxMsgs(o.value); return;
    case 'once': k.msgOnlyOnce(o.value); return;
    case 'report': k.reportReplierBinds(o.value); return;
  }
}

describe('the reference under random operations', () => {
  it('refuses only with KbusError and keeps its invariants', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 20, maxLength: 120, size: 'max' }), (operations) => {
        const h = new Harness();
        const ksocks: Ksock[] = [h.open(), h.open(), h.open()];
        for (const o of operations) {
          try {
            run(h, ksocks, o);
          } catch (e) {
            if (!(e instanceof KbusError)) throw e;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
