/**
 * Readers' bytes of a message written in entire form are the written bytes completed in place
 * (wire/message.ts completeEntire), not the message encoded again. They must still be exactly
 * what encodeEntire makes of the message read, whatever the writer left in the holes and
 * padding and however it cut its writes, for every kind of copy.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FLAG, PointerSize } from '../wire/constants';
import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { decodeEntire, encodeEntire, headerSize, paddedDataLength, paddedNameLength } from '../wire/message';
import { Harness } from './reference-harness';
import { propertyRuns } from './property-runs';

const u32 = fc.nat({ max: 0xffffffff });
const written = fc.record({
  pointerSize: fc.constantFrom<PointerSize>(8, 4),
  name: fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 }).map((w) => `$.Bytes.${w.join('.')}`),
  data: fc.uint8Array({ maxLength: 40 }),
  fields: fc.tuple(u32, u32, u32, u32, u32, u32),
  flags: fc.constantFrom(0, FLAG.WANT_YOU_TO_REPLY, FLAG.SYNTHETIC | FLAG.URGENT, FLAG.WANT_A_REPLY, 0xfffff0fc),
  garbage: fc.nat(255).filter((b) => b !== 0),
  cuts: fc.array(fc.nat(), { maxLength: 3 }),
});

/** The offsets a device must hand readers as zero: holes and the padding after name and data. */
function zeroedByDevice(bytes: Buffer, nameLen: number, dataLen: number, pointerSize: PointerSize): number[] {
  const hs = headerSize(pointerSize);
  const dataStart = hs + paddedNameLength(nameLen);
  const range = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => start + i);
  return [
    ...(pointerSize === 8 ? [...range(60, 64), ...range(84, 88)] : []),
    ...range(hs + nameLen, dataStart),
    ...range(dataStart + dataLen, dataStart + paddedDataLength(dataLen)),
  ].filter((i) => i < bytes.length);
}

describe('readers\' bytes of a message written in entire form', () => {
  it('are exactly the encoding of the message read, for listener, replier and requester copies', () => {
    const { numRuns, seed } = propertyRuns(300);
    fc.assert(
      fc.property(written, (w) => {
        const h = new Harness({ pointerSize: w.pointerSize });
        const [sender, replier, listener] = [h.open(), h.open(), h.open()];
        replier.bind(w.name, true);
        listener.bind('$.Bytes.*');
        const [inNet, inSerial, to, from, orig, extra] = w.fields;
        const request = (w.flags & FLAG.WANT_A_REPLY) !== 0;
        const bytes = encodeEntire(
          { name: w.name, data: Buffer.from(w.data), from, extra, flags: w.flags, origFrom: { networkId: orig, localId: to }, finalTo: { networkId: to, localId: orig },
            ...(request ? {} : { inReplyTo: { networkId: 0, serialNum: 0 }, to: 0 }) },
          w.pointerSize,
        );
        for (const i of zeroedByDevice(bytes, Buffer.byteLength(w.name, 'latin1'), w.data.length, w.pointerSize)) bytes[i] = w.garbage;
        const at = [...new Set(w.cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
        [0, ...at].forEach((start, i) => sender.write(bytes.subarray(start, [...at, bytes.length][i])));
        sender.send();

        const copies = [replier, listener].map((k) => k.read(k.nextMsg()));
        if (request) {
          const asked = decodeEntire(copies[0], w.pointerSize);
          const reply = encodeEntire({ name: w.name, inReplyTo: asked.id, to: asked.from, data: Buffer.from(w.data), extra: inNet, finalTo: { networkId: inSerial, localId: 1 } }, w.pointerSize);
          for (const i of zeroedByDevice(reply, Buffer.byteLength(w.name, 'latin1'), w.data.length, w.pointerSize)) reply[i] = w.garbage;
          replier.write(reply);
          replier.send();
          copies.push(sender.read(sender.nextMsg()));
        }
        for (const copy of copies) {
          if (copy.length === 0) continue;
          assert.deepEqual(copy, encodeEntire(decodeEntire(copy, w.pointerSize), w.pointerSize));
        }
      }),
      { numRuns, seed },
    );
  });
});

/** Keeps the requests KBUS answers for their repliers, as a policy sees them. */
class RequestsSeen extends KbusPolicy {
  readonly seen: Readonly<Message>[] = [];
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    this.seen.push(request);
    return super.syntheticReply(kind, request, replierId);
  }
}

describe('a message written in entire form, as the policy sees it', () => {
  it('carries its data, though the device keeps it only within the readers\' bytes', () => {
    const policy = new RequestsSeen();
    const h = new Harness({ policy });
    const [requester, replier] = [h.open(), h.open()];
    replier.bind('$.Q', true);
    h.send(requester, { name: '$.Q', flags: FLAG.WANT_A_REPLY, data: Buffer.from('payload') });
    h.send(requester, { name: '$.Q', flags: FLAG.WANT_A_REPLY, data: Buffer.from('more payload') });
    h.next(replier);
    replier.close();
    assert.deepEqual(policy.seen.map((m) => m.data.toString()), ['more payload', 'payload']);
  });
});
