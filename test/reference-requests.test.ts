/** Requests, replies, stateful requests and KBUS's synthetic replies (REQ, ST, SYN). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG, KBUS_NAME } from '../wire/constants';
import { Message } from '../wire/message';
import { Harness, assertErrno, names } from './reference-harness';

const REQUEST = FLAG.WANT_A_REPLY;

/** A requester, a replier bound to $.Q and a listener on $.*. */
function setup() {
  const h = new Harness();
  const [requester, replier, listener] = [h.open(), h.open(), h.open()];
  replier.bind('$.Q', true);
  listener.bind('$.*');
  return { h, requester, replier, listener };
}

describe('requests', () => {
  it('without a replier fail with EADDRNOTAVAIL, reaching no listener and queueing nothing for the sender', () => {
    const h = new Harness();
    const [a, l] = [h.open(), h.open()];
    l.bind('$.Q');
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'EADDRNOTAVAIL');
    assert.deepEqual([a.numMsgs(), l.numMsgs()], [0, 0]);
  });

  it('reach the replier with WANT_YOU_TO_REPLY and listeners without it', () => {
    const { h, requester, replier, listener } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    assert.equal(h.next(replier)!.flags, REQUEST | FLAG.WANT_YOU_TO_REPLY);
    assert.equal(h.next(listener)!.flags, REQUEST);
  });

  it('count as unreplied only once popped, until answered', () => {
    const { h, requester, replier } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    assert.equal(replier.unrepliedTo(), 0);
    const request = h.next(replier)!;
    assert.equal(replier.unrepliedTo(), 1);
    h.reply(replier, request);
    assert.equal(replier.unrepliedTo(), 0);
  });

  it('can be sent to oneself as replier and answered', () => {
    const h = new Harness();
    const k = h.open();
    k.bind('$.Q', true);
    h.send(k, { name: '$.Q', flags: REQUEST });
    h.reply(k, h.next(k)!);
    assert.equal(h.next(k)!.inReplyTo.serialNum, 1);
  });

  it('can be outstanding a thousand at a time and all answered', () => {
    const { h, requester, replier } = setup();
    requester.maxMsgs(1050);
    replier.maxMsgs(1050);
    for (let i = 0; i < 1000; i++) h.send(requester, { name: '$.Q', flags: REQUEST });
    for (let m = h.next(replier); m; m = h.next(replier)) h.reply(replier, m);
    assert.equal(h.drain(requester).length, 1000);
  });
});

describe('replies', () => {
  it('reach the unbound requester and the listeners, never the replier binding, never WANT_YOU_TO_REPLY', () => {
    const { h, requester, replier, listener } = setup();
    const id = h.send(requester, { name: '$.Q', flags: REQUEST });
    h.drain(listener);
    h.reply(replier, h.next(replier)!, { flags: FLAG.WANT_YOU_TO_REPLY });
    const got = h.next(requester)!;
    assert.deepEqual(got.inReplyTo, id);
    assert.equal(got.from, replier.id);
    assert.equal(got.flags, 0);
    assert.equal(h.next(listener)!.flags, 0);
    assert.equal(replier.numMsgs(), 0);
  });

  it('to a Ksock that is gone (or id 0) fail with EADDRNOTAVAIL, leaving UNREPLIEDTO', () => {
    const { h, requester, replier } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    const request = h.next(replier)!;
    requester.close();
    assertErrno(() => h.reply(replier, request), 'EADDRNOTAVAIL');
    assertErrno(() => h.reply(replier, request, { to: 0 }), 'EADDRNOTAVAIL');
    assert.equal(replier.unrepliedTo(), 1);
  });

  it('that nobody is waiting for fail with ECONNREFUSED, and a second reply too', () => {
    const { h, requester, replier } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    const request = h.next(replier)!;
    assertErrno(() => h.reply(replier, request, { inReplyTo: { networkId: 0, serialNum: 99 } }), 'ECONNREFUSED');
    h.reply(replier, request);
    assertErrno(() => h.reply(replier, request), 'ECONNREFUSED');
  });

  it('may come from any Ksock; the real replier then gets ECONNREFUSED and still sends Ignored on close', () => {
    const { h, requester, replier, listener } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    const request = h.next(replier)!;
    h.reply(listener, request);
    assertErrno(() => h.reply(replier, request), 'ECONNREFUSED');
    replier.close();
    assert.deepEqual(names(h.drain(requester)), ['$.Q', KBUS_NAME.IGNORED]);
  });

  it('survive interleaved half-written messages on both sides', () => {
    const { h, requester, replier } = setup();
    const partial = Buffer.alloc(20);
    replier.write(partial);
    h.send(requester, { name: '$.Q', flags: REQUEST });
    const request = h.next(replier)!;
    replier.discard();
    requester.write(partial);
    h.reply(replier, request);
    requester.discard();
    assert.equal(h.next(requester)!.name, '$.Q');
  });
});

describe('stateful requests', () => {
  it('to the chosen replier are delivered with `to` kept', () => {
    const { h, requester, replier, listener } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST, to: replier.id });
    assert.equal(h.next(replier)!.to, replier.id);
    assert.equal(h.next(listener)!.to, replier.id);
  });

  it('to another Ksock fail with EPIPE, delivering nothing', () => {
    const { h, requester, replier, listener } = setup();
    assertErrno(() => h.send(requester, { name: '$.Q', flags: REQUEST, to: listener.id }), 'EPIPE');
    assert.deepEqual([replier.numMsgs(), listener.numMsgs()], [0, 0]);
  });

  it('with no replier at all fail with EADDRNOTAVAIL, not EPIPE', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST, to: b.id }), 'EADDRNOTAVAIL');
  });

  it('match a wildcard replier when it is the one chosen', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Fred.*', true);
    h.send(a, { name: '$.Fred.X', flags: REQUEST, to: r.id });
  });

  it('do not restrict announcements', () => {
    const { h, requester, listener } = setup();
    h.send(requester, { name: '$.A', to: 12345 });
    assert.equal(h.next(listener)!.to, 12345);
  });
});

describe('synthetic replies', () => {
  function expectStatus(m: Message | null, name: string, request: Message, from: number, to: number) {
    assert.ok(m, `expected ${name}`);
    assert.equal(m.name, name);
    assert.deepEqual(m.inReplyTo, request.id);
    assert.equal(m.from, from);
    assert.equal(m.to, to);
    assert.equal(m.flags, FLAG.SYNTHETIC);
    assert.equal(m.data.length, 0);
    assert.equal(m.id.networkId, 0);
    assert.deepEqual([m.origFrom, m.finalTo], [{ networkId: 0, localId: 0 }, { networkId: 0, localId: 0 }]);
  }

  it('answer each queued request with Unbound when the replier unbinds, in queue order', () => {
    const { h, requester, replier, listener } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST, data: Buffer.from('1') });
    h.send(requester, { name: '$.Q', flags: REQUEST, data: Buffer.from('2') });
    const requests = h.drain(listener);
    replier.unbind('$.Q', true);
    assert.equal(replier.numMsgs(), 0);
    expectStatus(h.next(requester), KBUS_NAME.UNBOUND, requests[0], replier.id, requester.id);
    expectStatus(h.next(requester), KBUS_NAME.UNBOUND, requests[1], replier.id, requester.id);
    assert.equal(listener.numMsgs(), 0);
  });

  it('answer queued requests with GoneAway then popped ones with Ignored, newest first, on close', () => {
    const { h, requester, replier } = setup();
    replier.bind('$.Other');
    const sent = [1, 2, 3, 4].map((i) => h.send(requester, { name: '$.Q', flags: REQUEST, data: Buffer.from(String(i)) }));
    h.send(requester, { name: '$.Other' });
    const popped = [h.next(replier)!, h.next(replier)!];
    replier.close();
    const got = h.drain(requester);
    assert.deepEqual(names(got), [KBUS_NAME.GONE_AWAY, KBUS_NAME.GONE_AWAY, KBUS_NAME.IGNORED, KBUS_NAME.IGNORED]);
    assert.deepEqual(got.map((m) => m.inReplyTo.serialNum), [sent[2], sent[3], sent[1], sent[0]].map((id) => id.serialNum));
    expectStatus(got[3], KBUS_NAME.IGNORED, popped[0], replier.id, requester.id);
  });

  it('come in the module\'s order on close: GoneAway, then unbind events, then Ignored', () => {
    const { h, requester, replier } = setup();
    requester.bind(KBUS_NAME.REPLIER_BIND_EVENT);
    requester.reportReplierBinds(1);
    h.drain(requester);
    h.send(requester, { name: '$.Q', flags: REQUEST });
    h.send(requester, { name: '$.Q', flags: REQUEST });
    h.next(replier);
    replier.close();
    assert.deepEqual(names(h.drain(requester)), [KBUS_NAME.GONE_AWAY, KBUS_NAME.REPLIER_BIND_EVENT, KBUS_NAME.IGNORED]);
  });

  it('are sent for stateful requests too (the spec\'s promise, where the module deviates)', () => {
    const { h, requester, replier } = setup();
    const request = h.send(requester, { name: '$.Q', flags: REQUEST, to: replier.id });
    replier.close();
    assert.deepEqual(h.next(requester)!.inReplyTo, request);
  });

  it('are queued past the requester\'s limit, release its reservation, and count as the answer', () => {
    const { h, requester, replier, listener } = setup();
    requester.maxMsgs(1);
    h.send(requester, { name: '$.Q', flags: REQUEST });
    const request = h.next(replier)!;
    h.drain(listener);
    replier.close();
    assert.equal(requester.numMsgs(), 1);
    assertErrno(() => h.reply(listener, request), 'ECONNREFUSED');
    h.next(requester);
    h.send(requester, { name: '$.Q2' });
  });

  it('go to the requester only, never to listeners', () => {
    const { h, requester, replier, listener } = setup();
    listener.bind('$.KBUS.*');
    h.send(requester, { name: '$.Q', flags: REQUEST });
    h.drain(listener);
    replier.close();
    assert.equal(listener.numMsgs(), 0);
  });

  it('are dropped silently when the requester has gone', () => {
    const { h, requester, replier } = setup();
    h.send(requester, { name: '$.Q', flags: REQUEST });
    requester.close();
    replier.close();
  });

  it('are one per request: listener copies dropped on close generate nothing', () => {
    const { h, requester, replier } = setup();
    replier.bind('$.Q');
    h.send(requester, { name: '$.Q', flags: REQUEST });
    replier.close();
    assert.equal(requester.numMsgs(), 1);
  });
});
