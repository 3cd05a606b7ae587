/** Message ids, serial numbers, Ksock ids and the fields KBUS rewrites (ID-01…13). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG } from '../wire/constants';
import { KbusPolicy } from '../reference/policy';
import { Harness, assertErrno } from './reference-harness';

describe('message ids', () => {
  it('start at {0,1} on a fresh device and go up by one per send', () => {
    const h = new Harness();
    const k = h.open();
    assert.deepEqual(k.lastSent(), { networkId: 0, serialNum: 0 });
    assert.deepEqual(h.send(k, { name: '$.A' }), { networkId: 0, serialNum: 1 });
    assert.deepEqual(h.send(k, { name: '$.B', id: { networkId: 0, serialNum: 77 } }), { networkId: 0, serialNum: 2 });
    assert.deepEqual(k.lastSent(), { networkId: 0, serialNum: 2 });
  });

  it('are what every recipient sees', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    const id = h.send(a, { name: '$.A' });
    assert.deepEqual(h.next(b)!.id, id);
  });

  it('are left alone when the network id is not 0', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    assert.deepEqual(h.send(a, { name: '$.A', id: { networkId: 3, serialNum: 5 } }), { networkId: 3, serialNum: 5 });
    assert.deepEqual(a.lastSent(), { networkId: 3, serialNum: 5 });
    assert.deepEqual(h.next(b)!.id, { networkId: 3, serialNum: 5 });
    assert.deepEqual(h.send(a, { name: '$.A' }), { networkId: 0, serialNum: 1 });
  });

  it('skip 0 when the serial counter wraps', () => {
    assert.equal(new KbusPolicy().nextSerial(0xffffffff), 1);
    assert.equal(new KbusPolicy().nextSerial(41), 42);
  });

  it('are shared with KBUS messages, which leave gaps in user serials', () => {
    const h = new Harness();
    const [requester, replier] = [h.open(), h.open()];
    replier.bind('$.Q', true);
    h.send(requester, { name: '$.Q', flags: FLAG.WANT_A_REPLY }); // serial 1
    replier.close(); // GoneAway takes serial 2
    assert.deepEqual(h.send(requester, { name: '$.A' }), { networkId: 0, serialNum: 3 });
  });

  describe('on a failed SEND', () => {
    it('are not consumed by ENOMSG, EINVAL (unfinished) or ENOLCK', () => {
      const h = new Harness();
      const [a, r] = [h.open(), h.open()];
      r.bind('$.Q', true);
      assertErrno(() => a.send(), 'ENOMSG');
      a.write(Buffer.alloc(10));
      assertErrno(() => a.send(), 'EINVAL');
      a.maxMsgs(1);
      h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY }); // serial 1, reserves a's only slot
      assertErrno(() => h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY }), 'ENOLCK');
      assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 1 });
      assert.deepEqual(h.send(a, { name: '$.A' }), { networkId: 0, serialNum: 2 });
    });

    it('are consumed by EADDRNOTAVAIL, ECONNREFUSED, EPIPE and EBUSY, and LASTSENT shows them', () => {
      const h = new Harness();
      const [a, r, other] = [h.open(), h.open(), h.open()];
      assertErrno(() => h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY }), 'EADDRNOTAVAIL');
      assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 1 });
      assertErrno(() => h.send(a, { name: '$.Q', inReplyTo: { networkId: 0, serialNum: 9 }, to: r.id }), 'ECONNREFUSED');
      assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 2 });
      r.bind('$.Q', true);
      assertErrno(() => h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY, to: other.id }), 'EPIPE');
      assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 3 });
      r.maxMsgs(1);
      h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY });
      assertErrno(() => h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY }), 'EBUSY');
      assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 5 });
    });
  });
});

describe('fields KBUS rewrites', () => {
  it('sets from to the sender, zeroes extra and clears SYNTHETIC and WANT_YOU_TO_REPLY', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    h.send(a, { name: '$.A', from: 99, extra: 7, flags: FLAG.SYNTHETIC | FLAG.WANT_YOU_TO_REPLY | FLAG.URGENT });
    const m = h.next(b)!;
    assert.equal(m.from, a.id);
    assert.equal(m.extra, 0);
    assert.equal(m.flags, FLAG.URGENT);
  });

  it('passes to, in_reply_to, orig_from, final_to and the other flag bits through', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    const flags = (FLAG.ALL_OR_FAIL | FLAG.URGENT | 0xabcd0000 | 0x40) >>> 0;
    h.send(a, { name: '$.A', to: 12, origFrom: { networkId: 1, localId: 2 }, finalTo: { networkId: 3, localId: 4 }, flags });
    const m = h.next(b)!;
    assert.equal(m.to, 12);
    assert.deepEqual(m.origFrom, { networkId: 1, localId: 2 });
    assert.deepEqual(m.finalTo, { networkId: 3, localId: 4 });
    assert.equal(m.flags, flags);
  });
});

describe('Ksock ids', () => {
  it('are 1, 2, 3 … on a fresh device and never reused after close', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    assert.deepEqual([a.ksockId(), b.ksockId()], [1, 2]);
    b.close();
    assert.equal(h.open().ksockId(), 3);
  });
});
