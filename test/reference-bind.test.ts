/** BIND, UNBIND and choosing the replier (BIND-01…12, REP-01…07, ORD-04/05). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG } from '../wire/constants';
import { Harness, assertErrno } from './reference-harness';

describe('BIND and UNBIND', () => {
  it('allow the same listener binding many times, each listed', () => {
    const h = new Harness();
    const k = h.open();
    k.bind('$.A');
    k.bind('$.A');
    assert.equal(h.system.procBindings().split('\n').filter((l) => l.endsWith('L  $.A')).length, 2);
  });

  it('allow a replier and a listener binding for the same name on one Ksock', () => {
    const k = new Harness().open();
    k.bind('$.A', true);
    k.bind('$.A');
  });

  it('refuse UNBIND without an exact match of name and replier flag (EINVAL)', () => {
    const k = new Harness().open();
    assertErrno(() => k.unbind('$.A'), 'EINVAL');
    k.bind('$.A.*');
    assertErrno(() => k.unbind('$.A.B'), 'EINVAL');
    assertErrno(() => k.unbind('$.A.*', true), 'EINVAL');
    k.unbind('$.A.*');
    assertErrno(() => k.unbind('$.A.*'), 'EINVAL');
  });

  it('remove with UNBIND only the copies queued through that binding, others keeping their order', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    b.bind('$.*');
    h.send(a, { name: '$.A', data: Buffer.from('1') });
    h.send(a, { name: '$.B', data: Buffer.from('2') });
    h.send(a, { name: '$.A', data: Buffer.from('3') });
    b.unbind('$.A');
    assert.deepEqual(h.drain(b).map((m) => m.data.toString()), ['1', '2', '3']);
  });

  it('remove the newest of identical bindings (5 queued → 3 left)', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    h.send(a, { name: '$.A' });
    b.bind('$.A');
    h.send(a, { name: '$.A' });
    h.send(a, { name: '$.A' });
    assert.equal(b.numMsgs(), 5);
    b.unbind('$.A');
    assert.equal(b.numMsgs(), 3);
  });

  it('leave the current message and popped requests alone', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY, data: Buffer.from('abcd') });
    const length = r.nextMsg();
    r.unbind('$.Q', true);
    assert.equal(r.lenLeft(), length);
    assert.equal(r.unrepliedTo(), 1);
    const request = h.next(a);
    assert.equal(request, null);
    const bytes = r.read(length);
    assert.equal(bytes.length, length);
    h.send(r, { name: '$.Q', inReplyTo: { networkId: 0, serialNum: 1 }, to: a.id });
    assert.equal(r.unrepliedTo(), 0);
  });

  it('are dropped on close, and only the closing Ksock\'s', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    a.bind('$.A');
    b.bind('$.B', true);
    a.close();
    const lines = h.system.procBindings().split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(lines.map((l) => l.trim().split(/\s+/).slice(3)), [['R', '$.B']]);
  });

  it('work on a read-only Ksock, as listener and as replier', () => {
    const k = new Harness().open('r');
    k.bind('$.A');
    k.bind('$.B', true);
  });

  it('check in order: name_len, syntax, ReplierBindEvent, duplicate replier', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    a.bind('$.R', true);
    assertErrno(() => b.bind(Buffer.from('bad'), true, 1001), 'ENAMETOOLONG');
    assertErrno(() => b.bind('$.R.', true), 'EBADMSG');
    assertErrno(() => b.bind('$.R', true), 'EADDRINUSE');
  });
});

describe('repliers', () => {
  it('are one per exact name string, whichever Ksock asks (EADDRINUSE)', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    a.bind('$.A', true);
    assertErrno(() => a.bind('$.A', true), 'EADDRINUSE');
    assertErrno(() => b.bind('$.A', true), 'EADDRINUSE');
  });

  it('may overlap on different strings', () => {
    const h = new Harness();
    const [a, b, c] = [h.open(), h.open(), h.open()];
    a.bind('$.Fred.*', true);
    b.bind('$.Fred.%', true);
    c.bind('$.Fred.Jim', true);
  });

  it('get only requests through a replier binding', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    h.send(a, { name: '$.Q' });
    assert.equal(r.numMsgs(), 0);
  });

  it('are chosen exact over % over *, the losers getting nothing', () => {
    const h = new Harness();
    const [a, star, percent, exact] = [h.open(), h.open(), h.open(), h.open()];
    star.bind('$.Fred.*', true);
    percent.bind('$.Fred.%', true);
    exact.bind('$.Fred.Jim', true);
    h.send(a, { name: '$.Fred.Jim', flags: FLAG.WANT_A_REPLY });
    h.send(a, { name: '$.Fred.James', flags: FLAG.WANT_A_REPLY });
    h.send(a, { name: '$.Fred.Jim.Bob', flags: FLAG.WANT_A_REPLY });
    assert.deepEqual([exact, percent, star].map((k) => h.drain(k).map((m) => m.name)), [['$.Fred.Jim'], ['$.Fred.James'], ['$.Fred.Jim.Bob']]);
  });

  it('tie among * bindings by recency, not depth', () => {
    const h = new Harness();
    const [a, deep, shallow] = [h.open(), h.open(), h.open()];
    deep.bind('$.A.*', true);
    shallow.bind('$.*', true);
    h.send(a, { name: '$.A.B', flags: FLAG.WANT_A_REPLY });
    assert.deepEqual([deep.numMsgs(), shallow.numMsgs()], [0, 1]);
  });

  it('that also listen get the replier copy first, then the listener copy', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q');
    r.bind('$.Q', true);
    const id = h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY });
    const [first, second] = h.drain(r);
    assert.deepEqual([first.id, second.id], [id, id]);
    assert.equal(first.flags, FLAG.WANT_A_REPLY | FLAG.WANT_YOU_TO_REPLY);
    assert.equal(second.flags, FLAG.WANT_A_REPLY);
  });

  it('disappear with UNBIND: requests then fail with EADDRNOTAVAIL', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.Q', true);
    r.unbind('$.Q', true);
    assertErrno(() => h.send(a, { name: '$.Q', flags: FLAG.WANT_A_REPLY }), 'EADDRNOTAVAIL');
  });
});
