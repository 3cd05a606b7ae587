/** Queue limits, reply reservations, ALL_OR_FAIL / ALL_OR_WAIT and poll (Q, ALL, POLL, SYN-05/06). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG, KBUS_NAME } from '../wire/constants';
import { encodeEntire } from '../wire/message';
import { Harness, assertErrno, names } from './reference-harness';

const REQUEST = FLAG.WANT_A_REPLY;

/** `full` (limit 1) and `roomy` both listen to $.A; `full` holds one, `roomy` has read its copy. */
function fullListener() {
  const h = new Harness();
  const [a, full, roomy] = [h.open(), h.open(), h.open()];
  full.bind('$.A');
  roomy.bind('$.A');
  full.maxMsgs(1);
  h.send(a, { name: '$.A' });
  h.drain(roomy);
  return { h, a, full, roomy };
}

describe('queue limits', () => {
  it('default to 100; MAXMSGS(0) queries, n sets, per Ksock, read-only too', () => {
    const h = new Harness();
    const [a, b] = [h.open('r'), h.open()];
    assert.equal(a.maxMsgs(0), 100);
    assert.equal(a.maxMsgs(7), 7);
    assert.equal(a.maxMsgs(0), 7);
    assert.equal(b.maxMsgs(0), 100);
  });

  it('may drop below the queue length without losing anything', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    for (let i = 0; i < 3; i++) h.send(a, { name: '$.A' });
    b.maxMsgs(1);
    assert.equal(h.drain(b).length, 3);
  });

  it('are judged once per send, before queueing: a listener with room for one gets every copy', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    b.bind('$.*');
    b.maxMsgs(1);
    h.send(a, { name: '$.A' });
    assert.equal(b.numMsgs(), 2);
  });

  it('make a full listener miss messages while others get them', () => {
    const { h, a, full, roomy } = fullListener();
    h.send(a, { name: '$.A' });
    assert.deepEqual([full.numMsgs(), roomy.numMsgs()], [1, 1]);
  });

  it('make a request to a full replier fail with EBUSY (EAGAIN with ALL_OR_WAIT), reaching no listener', () => {
    const h = new Harness();
    const [a, r, l] = [h.open(), h.open(), h.open()];
    r.bind('$.Q', true);
    l.bind('$.Q');
    r.maxMsgs(1);
    h.send(a, { name: '$.Q', flags: REQUEST });
    h.drain(l);
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'EBUSY');
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST | FLAG.ALL_OR_WAIT }), 'EAGAIN');
    assert.equal(l.numMsgs(), 0);
  });

  it('count reserved reply slots: a replier with limit 1 and a request of its own out is full', () => {
    const h = new Harness();
    const [a, r, other] = [h.open(), h.open(), h.open()];
    r.bind('$.Q', true);
    other.bind('$.Other', true);
    r.maxMsgs(1);
    h.send(r, { name: '$.Other', flags: REQUEST });
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'EBUSY');
  });

  it('refuse a request with ENOLCK when the reply could not fit, before routing, with no sending state', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.maxMsgs(1);
    h.send(a, { name: '$.Q', flags: REQUEST });
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'ENOLCK');
    assertErrno(() => h.send(a, { name: '$.Nobody', flags: REQUEST }), 'ENOLCK');
    assertErrno(() => a.send(), 'ENOMSG');
    assert.equal(a.poll().writable, true);
  });

  it('keep the reservation until the reply is popped', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.maxMsgs(1);
    h.send(a, { name: '$.Q', flags: REQUEST });
    const request = h.next(r)!;
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'ENOLCK');
    h.reply(r, request);
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST }), 'ENOLCK');
    h.next(a);
    h.send(a, { name: '$.Q', flags: REQUEST });
  });

  it('do not limit announcements from a full Ksock', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.maxMsgs(1);
    h.send(a, { name: '$.Q', flags: REQUEST });
    h.send(a, { name: '$.A' });
  });

  it('let a reply use its reserved slot, but refuse it (EBUSY / EAGAIN) if the requester lowered its limit', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.bind('$.X');
    a.maxMsgs(2);
    h.send(a, { name: '$.Q', flags: REQUEST });
    h.send(r, { name: '$.X' });
    const request = h.next(r)!;
    h.reply(r, request); // queued 1 + reserved 1 = 2 = limit, yet it fits
    h.next(a);
    h.next(a);
    h.send(a, { name: '$.Q', flags: REQUEST });
    h.send(r, { name: '$.X' });
    a.maxMsgs(1);
    const second = h.next(r)!;
    assertErrno(() => h.reply(r, second), 'EBUSY');
    assertErrno(() => h.reply(r, second, { flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
  });
});

describe('ALL_OR_FAIL and ALL_OR_WAIT', () => {
  /** `a` in sending state with a request for `r`, whose one slot `other` has taken. */
  function waitingRequest(stateful = false) {
    const h = new Harness();
    const [a, r, other] = [h.open(), h.open(), h.open()];
    r.bind('$.Q', true);
    r.maxMsgs(1);
    h.send(other, { name: '$.Q', flags: REQUEST });
    assertErrno(() => h.send(a, { name: '$.Q', flags: REQUEST | FLAG.ALL_OR_WAIT, to: stateful ? r.id : 0 }), 'EAGAIN');
    return { h, a, r, other };
  }

  it('change nothing when everyone has room, and stay set in the copies', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    h.send(a, { name: '$.A', flags: FLAG.ALL_OR_FAIL });
    h.send(a, { name: '$.A', flags: FLAG.ALL_OR_WAIT });
    assert.deepEqual(h.drain(b).map((m) => m.flags), [FLAG.ALL_OR_FAIL, FLAG.ALL_OR_WAIT]);
  });

  it('ALL_OR_FAIL: one full recipient means EBUSY and nobody gets it', () => {
    const { h, a, roomy } = fullListener();
    assertErrno(() => h.send(a, { name: '$.A', flags: FLAG.ALL_OR_FAIL }), 'EBUSY');
    assert.equal(roomy.numMsgs(), 0);
    assertErrno(() => a.send(), 'ENOMSG');
  });

  it('ALL_OR_WAIT: EAGAIN at once with the id assigned, then a sending state refusing writes', () => {
    const { h, a, full, roomy } = fullListener();
    assertErrno(() => h.send(a, { name: '$.A', flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
    const id = a.lastSent();
    assert.ok(id.serialNum > 0);
    assert.equal(roomy.numMsgs(), 0);
    assertErrno(() => a.write(Buffer.alloc(4)), 'EALREADY');
    assert.equal(a.poll().writable, false);
    h.next(full);
    assert.deepEqual(a.poll(), { readable: false, writable: true });
    assert.deepEqual(h.next(roomy)!.id, id);
    assert.deepEqual(h.next(full)!.id, id);
  });

  it('DISCARD abandons a waiting send', () => {
    const { h, a, full, roomy } = fullListener();
    assertErrno(() => h.send(a, { name: '$.A', flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
    a.discard();
    h.next(full);
    assert.equal(a.poll().writable, true);
    assert.equal(roomy.numMsgs(), 0);
    a.write(encodeEntire({ name: '$.A' }, h.pointerSize));
  });

  it('SEND in sending state retries with the same id: EAGAIN, then 0', () => {
    const { h, a, full } = fullListener();
    assertErrno(() => h.send(a, { name: '$.A', flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
    const id = a.lastSent();
    assertErrno(() => a.send(), 'EAGAIN');
    h.next(full);
    assert.deepEqual(a.send(), id);
    assertErrno(() => a.send(), 'ENOMSG');
  });

  it('SEND retry checks the sender\'s room for the reply again (ENOLCK drops the message)', () => {
    const { h, a, r } = waitingRequest();
    a.bind('$.Fill');
    a.maxMsgs(1);
    h.send(r, { name: '$.Fill' });
    assertErrno(() => a.send(), 'ENOLCK');
    assertErrno(() => a.send(), 'ENOMSG');
  });

  it('SEND retry failing otherwise gives that errno and drops the message', () => {
    const { a, r } = waitingRequest();
    r.unbind('$.Q', true);
    assertErrno(() => a.send(), 'EADDRNOTAVAIL');
    assertErrno(() => a.send(), 'ENOMSG');
  });

  it('a poll retry whose replier vanished answers the request with Disappeared', () => {
    const { h, a, r } = waitingRequest();
    const id = a.lastSent();
    r.close();
    assert.deepEqual(a.poll(), { readable: true, writable: true });
    const m = h.next(a)!;
    assert.equal(m.name, KBUS_NAME.DISAPPEARED);
    assert.deepEqual([m.from, m.to, m.inReplyTo, m.flags], [0, a.id, id, FLAG.SYNTHETIC]);
  });

  it('a poll retry failing otherwise answers a request with ErrorSending', () => {
    const { h, a, r, other } = waitingRequest(true);
    r.unbind('$.Q', true);
    other.bind('$.Q', true);
    assert.equal(a.poll().writable, true);
    assert.deepEqual(names(h.drain(a)), [KBUS_NAME.ERROR_SENDING]);
  });

  it('a poll retry of a reply whose requester vanished sends Disappeared to the replier itself (module quirk)', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.bind('$.Filler');
    h.send(a, { name: '$.Q', flags: REQUEST });
    h.send(r, { name: '$.Filler' });
    a.maxMsgs(1);
    const request = h.next(r)!;
    assertErrno(() => h.reply(r, request, { flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
    const replyId = r.lastSent();
    a.close();
    assert.equal(r.poll().writable, true);
    const m = h.next(r)!;
    assert.equal(m.name, KBUS_NAME.DISAPPEARED);
    assert.deepEqual([m.to, m.inReplyTo], [r.id, replyId]);
  });

  it('apply to the listeners of a reply', () => {
    const h = new Harness();
    const [a, r, full] = [h.open(), h.open(), h.open()];
    r.bind('$.Q', true);
    full.bind('$.Q');
    h.send(a, { name: '$.Q', flags: REQUEST });
    full.maxMsgs(1);
    assertErrno(() => h.reply(r, h.next(r)!, { flags: FLAG.ALL_OR_FAIL }), 'EBUSY');
    assert.equal(a.numMsgs(), 0);
  });
});

describe('poll readiness', () => {
  it('is readable exactly when a message is queued, excluding the current one', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    assert.equal(b.poll().readable, false);
    h.send(a, { name: '$.A' });
    assert.equal(b.poll().readable, true);
    b.nextMsg();
    assert.equal(b.poll().readable, false);
  });

  it('is never writable for a read-only Ksock', () => {
    assert.deepEqual(new Harness().open('r').poll(), { readable: false, writable: false });
  });

  it('notifies subscribers asynchronously after a change, once per burst', async () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    let calls = 0;
    const unsubscribe = b.onChange(() => calls++);
    h.send(a, { name: '$.A' });
    h.send(a, { name: '$.A' });
    assert.equal(calls, 0);
    await Promise.resolve();
    assert.equal(calls, 1);
    unsubscribe();
    h.send(a, { name: '$.A' });
    await Promise.resolve();
    assert.equal(calls, 1);
  });
});
