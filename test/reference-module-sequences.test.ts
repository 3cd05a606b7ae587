/**
 * Short sequences on which the reference once disagreed with the original module, replayed with
 * the numbers the module gives (read from kbus_main.c and seen on the module itself).
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG } from '../wire/constants';
import { Harness } from './reference-harness';

const REQUEST = FLAG.WANT_A_REPLY;

describe('as the original module', () => {
  // kbus_release empties the queue and the unreplied list while the Ksock is still open, so
  // its answer to its own request is built (taking a serial number) and then dropped.
  for (const read of [false, true]) {
    it(`a Ksock closing with its own request ${read ? 'read but unanswered' : 'still queued'} uses up a serial number`, () => {
      const h = new Harness();
      const [k1, k2] = [h.open(), h.open()];
      k1.bind('$.A', true);
      assert.deepEqual(h.send(k1, { name: '$.A', flags: REQUEST }), { networkId: 0, serialNum: 1 });
      if (read) assert.equal(h.next(k1)!.flags, REQUEST | FLAG.WANT_YOU_TO_REPLY);
      k1.close();
      assert.deepEqual(h.send(k2, { name: '$.B' }), { networkId: 0, serialNum: 3 });
      assert.equal(k2.numMsgs(), 0);
    });
  }

  // kbus_push_message sets WANT_YOU_TO_REPLY on the replier's copy alone.
  it("the requester's copy of a reply that is also a request does not ask for a reply", () => {
    const h = new Harness();
    const [k1, k2] = [h.open(), h.open()];
    k1.bind('$.A', true);
    const request = h.send(k1, { name: '$.A', flags: REQUEST });
    // Both to k1: as the requester of S1 and as the replier for $.A.
    h.send(k2, { name: '$.A', to: k1.id, inReplyTo: request, flags: REQUEST });
    assert.deepEqual(h.next(k1)!.id, request);
    const asRequester = h.next(k1)!;
    assert.deepEqual(asRequester.inReplyTo, request);
    assert.equal(asRequester.flags, 0x1);
    assert.equal(k1.unrepliedTo(), 1);
    assert.equal(h.next(k1)!.flags, REQUEST | FLAG.WANT_YOU_TO_REPLY);
    assert.equal(k1.unrepliedTo(), 2);
  });
});
