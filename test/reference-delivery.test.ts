/** Who gets a message and in what order: broadcast, wildcards, URGENT, MSGONLYONCE (BC, WC, URG, ONCE). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG, SWITCH_QUERY } from '../wire/constants';
import { Harness, assertErrno, names } from './reference-harness';

describe('broadcast', () => {
  it('reaches every matching listener, the sender included when it listens', () => {
    const h = new Harness();
    const [a, b, c] = [h.open(), h.open(), h.open()];
    a.bind('$.A');
    b.bind('$.A');
    h.send(a, { name: '$.A' });
    assert.deepEqual([a.numMsgs(), b.numMsgs(), c.numMsgs()], [1, 1, 0]);
  });

  it('vanishes when nobody listens', () => {
    const h = new Harness();
    const a = h.open();
    h.send(a, { name: '$.A' });
    assert.equal(a.numMsgs(), 0);
  });

  it('gives a Ksock one copy per matching binding', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    b.bind('$.A');
    b.bind('$.*');
    const id = h.send(a, { name: '$.A' });
    const copies = h.drain(b);
    assert.equal(copies.length, 3);
    for (const m of copies) assert.deepEqual(m.id, id);
  });

  it('keeps each queue in send order', () => {
    const h = new Harness();
    const [a, b, c] = [h.open(), h.open(), h.open()];
    b.bind('$.*');
    c.bind('$.*');
    for (const n of ['$.One', '$.Two', '$.Three']) h.send(a, { name: n });
    assert.deepEqual(names(h.drain(b)), ['$.One', '$.Two', '$.Three']);
    assert.deepEqual(names(h.drain(c)), ['$.One', '$.Two', '$.Three']);
  });

  it('reaches a thousand listeners, with more than a page of data', () => {
    const h = new Harness({ absoluteMaxMessageSize: 409600, defaultMaxMessageSize: 409600 });
    const a = h.open();
    const listeners = Array.from({ length: 1000 }, () => h.system.open(0));
    for (const l of listeners) l.bind('$.Many');
    h.send(a, { name: '$.Many', data: Buffer.alloc(5000, 1) });
    assert.ok(listeners.every((l) => l.numMsgs() === 1));
  });
});

describe('wildcards', () => {
  const cases: [string, string, boolean][] = [
    ['$.Fred.*', '$.Fred.Jim', true],
    ['$.Fred.*', '$.Fred.JimBob.William', true],
    ['$.Fred.*', '$.Fred', false],
    ['$.This.%', '$.This.Fred', true],
    ['$.This.%', '$.This.Jim.One', false],
    ['$.This.%', '$.This', false],
    ['$.*', '$.Anything.At.All', true],
    ['$.%', '$.One', true],
    ['$.%', '$.One.Two', false],
    ['$.Fred', '$.Fred.Jim', false],
    ['$.Fred.Jim', '$.Fred', false],
    ['$.Fred', '$.Fredx', false],
  ];
  for (const [binding, name, matches] of cases) {
    it(`${binding} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      const h = new Harness();
      const [a, b] = [h.open(), h.open()];
      b.bind(binding);
      h.send(a, { name });
      assert.equal(b.numMsgs(), matches ? 1 : 0);
    });
  }

  it('gives each overlapping binding its own copies, removed with that binding only', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    b.bind('$.*');
    h.send(a, { name: '$.Fred' });
    h.send(a, { name: '$.Fred' });
    assert.equal(b.numMsgs(), 4);
    b.unbind('$.*');
    assert.equal(b.numMsgs(), 2);
  });
});

describe('URGENT', () => {
  it('jumps the queue, newest urgent first, in every recipient', () => {
    const h = new Harness();
    const [a, b, c] = [h.open(), h.open(), h.open()];
    b.bind('$.*');
    c.bind('$.*');
    h.send(a, { name: '$.Plain1' });
    h.send(a, { name: '$.Urgent1', flags: FLAG.URGENT });
    h.send(a, { name: '$.Plain2' });
    h.send(a, { name: '$.Urgent2', flags: FLAG.URGENT });
    const expected = ['$.Urgent2', '$.Urgent1', '$.Plain1', '$.Plain2'];
    assert.deepEqual(names(h.drain(b)), expected);
    assert.deepEqual(names(h.drain(c)), expected);
  });

  it('applies to requests and stays set on the replier copy', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    r.bind('$.Other');
    h.send(a, { name: '$.Other' });
    h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY | FLAG.URGENT });
    const first = h.next(r)!;
    assert.equal(first.name, '$.Q');
    assert.equal(first.flags, FLAG.WANT_A_REPLY | FLAG.URGENT | FLAG.WANT_YOU_TO_REPLY);
  });
});

describe('MSGONLYONCE', () => {
  it('is off by default; 0/1 set and return the previous value; 0xFFFFFFFF queries', () => {
    const k = new Harness().open();
    assert.equal(k.msgOnlyOnce(SWITCH_QUERY), 0);
    assert.equal(k.msgOnlyOnce(1), 0);
    assert.equal(k.msgOnlyOnce(SWITCH_QUERY), 1);
    assert.equal(k.msgOnlyOnce(0), 1);
  });

  it('refuses other arguments with EINVAL, leaving the setting', () => {
    const k = new Harness().open();
    k.msgOnlyOnce(1);
    assertErrno(() => k.msgOnlyOnce(2), 'EINVAL');
    assert.equal(k.msgOnlyOnce(SWITCH_QUERY), 1);
  });

  it('gives one copy for several matching bindings, and k copies again once off', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    b.bind('$.*');
    b.msgOnlyOnce(1);
    h.send(a, { name: '$.A' });
    assert.equal(b.numMsgs(), 1);
    b.msgOnlyOnce(0);
    h.send(a, { name: '$.A' });
    assert.equal(b.numMsgs(), 3);
  });

  it('keeps the replier copy of a request for a replier that also listens', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    r.bind('$.Q');
    r.msgOnlyOnce(1);
    h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY });
    const copies = h.drain(r);
    assert.equal(copies.length, 1);
    assert.ok(copies[0].flags & FLAG.WANT_YOU_TO_REPLY);
  });

  it('keeps the requester copy of a reply for a requester that also listens', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.bind('$.Q');
    a.msgOnlyOnce(1);
    h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY });
    h.drain(a);
    h.reply(r, h.next(r)!);
    assert.equal(a.numMsgs(), 1);
  });

  it('skips any message with the id just queued, even from a later send (ids are what it compares)', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    b.msgOnlyOnce(1);
    const id = { networkId: 7, serialNum: 7 };
    h.send(a, { name: '$.A', id });
    h.send(a, { name: '$.A', id });
    h.send(a, { name: '$.A' });
    assert.equal(b.numMsgs(), 2);
  });

  it('affects only its own Ksock and only later deliveries', () => {
    const h = new Harness();
    const [a, b, c] = [h.open(), h.open(), h.open()];
    for (const k of [b, c]) {
      k.bind('$.A');
      k.bind('$.A');
    }
    h.send(a, { name: '$.A' });
    b.msgOnlyOnce(1);
    h.send(a, { name: '$.A' });
    assert.deepEqual([b.numMsgs(), c.numMsgs()], [3, 4]);
  });
});

describe('a requester that listens to its own request name', () => {
  it('gets its request once and the reply twice, requester copy first', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    a.bind('$.Q');
    const id = h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY });
    const own = h.drain(a);
    assert.equal(own.length, 1);
    assert.equal(own[0].flags, FLAG.WANT_A_REPLY);
    h.reply(r, h.next(r)!);
    const replies = h.drain(a);
    assert.equal(replies.length, 2);
    assert.ok(replies.every((m) => m.inReplyTo.serialNum === id.serialNum && !(m.flags & FLAG.WANT_YOU_TO_REPLY)));
  });
});
