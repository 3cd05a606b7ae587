/** REPORTREPLIERBINDS, $.KBUS.ReplierBindEvent, the set-aside list and UnbindEventsLost (RBE-01…20). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG, KBUS_NAME, SWITCH_QUERY } from '../wire/constants';
import { Message, decodeReplierBindEvent } from '../wire/message';
import { Harness, assertErrno, names } from './reference-harness';

const EVENT = KBUS_NAME.REPLIER_BIND_EVENT;

function event(m: Message | null) {
  assert.ok(m);
  assert.equal(m.name, EVENT);
  return decodeReplierBindEvent(m.data);
}

function reporting() {
  const h = new Harness();
  const [binder, watcher] = [h.open(), h.open()];
  watcher.bind(EVENT);
  binder.reportReplierBinds(1);
  return { h, binder, watcher };
}

describe('REPORTREPLIERBINDS', () => {
  it('is a device switch, off by default; 1/0 return the previous value; 0xFFFFFFFF queries', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    assert.equal(a.reportReplierBinds(SWITCH_QUERY), 0);
    assert.equal(a.reportReplierBinds(1), 0);
    assert.equal(b.reportReplierBinds(SWITCH_QUERY), 1);
    assert.equal(b.reportReplierBinds(0), 1);
  });

  it('refuses other arguments with EINVAL', () => {
    assertErrno(() => new Harness().open().reportReplierBinds(2), 'EINVAL');
  });

  it('when switched on, queues on the caller an event per existing replier binding, newest first', () => {
    const h = new Harness();
    const [a, b, caller] = [h.open(), h.open(), h.open()];
    a.bind('$.One', true);
    b.bind('$.Two', true);
    a.bind('$.Listen');
    caller.reportReplierBinds(1);
    assert.deepEqual(h.drain(caller).map((m) => decodeReplierBindEvent(m.data)), [
      { isBind: true, binder: b.id, name: '$.Two' },
      { isBind: true, binder: a.id, name: '$.One' },
    ]);
  });

  it('gives EBUSY when those events fill the caller\'s queue, the switch staying on and the refused event\'s serial used', () => {
    const h = new Harness();
    const [a, caller] = [h.open(), h.open()];
    a.bind('$.One', true);
    a.bind('$.Two', true);
    caller.maxMsgs(1);
    assertErrno(() => caller.reportReplierBinds(1), 'EBUSY');
    assert.equal(caller.reportReplierBinds(SWITCH_QUERY), 1);
    assert.equal(caller.numMsgs(), 1);
    assert.deepEqual(h.send(a, { name: '$.X' }), { networkId: 0, serialNum: 3 });
  });
});

describe('replier bind events', () => {
  it('announce each replier BIND and UNBIND with the binder and name', () => {
    const { h, binder, watcher } = reporting();
    binder.bind('$.Fred', true);
    binder.unbind('$.Fred', true);
    assert.deepEqual(h.drain(watcher).map((m) => decodeReplierBindEvent(m.data)), [
      { isBind: true, binder: binder.id, name: '$.Fred' },
      { isBind: false, binder: binder.id, name: '$.Fred' },
    ]);
  });

  it('have from 0, to 0, no in_reply_to, a fresh id and flags SYNTHETIC|ALL_OR_FAIL; data_len 12 + padded name', () => {
    const { h, binder, watcher } = reporting();
    binder.bind('$.Fred', true);
    const m = h.next(watcher)!;
    assert.deepEqual([m.from, m.to, m.inReplyTo, m.flags, m.data.length], [0, 0, { networkId: 0, serialNum: 0 }, 0x204, 20]);
    assert.deepEqual(m.id, { networkId: 0, serialNum: 1 });
  });

  it('are never produced by listener bindings', () => {
    const { h, binder, watcher } = reporting();
    binder.bind('$.Fred');
    binder.unbind('$.Fred');
    assert.equal(watcher.numMsgs(), 0);
    assert.equal(h.drain(watcher).length, 0);
  });

  it('are all-or-nothing: one full listener makes the BIND fail with EAGAIN, changing nothing', () => {
    const { h, binder, watcher } = reporting();
    const other = h.open();
    other.bind(EVENT);
    watcher.maxMsgs(1);
    binder.bind('$.A', true);
    h.drain(other);
    assertErrno(() => binder.bind('$.B', true), 'EAGAIN');
    assert.equal(binder.replierOf('$.B'), 0);
    assert.equal(other.numMsgs(), 0);
    assertErrno(() => binder.unbind('$.A', true), 'EAGAIN');
    assert.equal(binder.replierOf('$.A'), binder.id);
  });

  it('consume a serial even when their delivery fails', () => {
    const { h, binder, watcher } = reporting();
    watcher.maxMsgs(1);
    binder.bind('$.A', true); // serial 1
    assertErrno(() => binder.bind('$.B', true), 'EAGAIN'); // serial 2
    assert.deepEqual(h.send(binder, { name: '$.X' }), { networkId: 0, serialNum: 3 });
  });

  it('come after EADDRINUSE and EINVAL checks', () => {
    const { h, binder, watcher } = reporting();
    binder.bind('$.A', true);
    watcher.maxMsgs(1);
    assertErrno(() => h.open().bind('$.A', true), 'EADDRINUSE');
    assertErrno(() => binder.unbind('$.Nothing', true), 'EINVAL');
  });

  it('are not produced with reporting off, so a bind that would fail succeeds', () => {
    const { h, binder, watcher } = reporting();
    watcher.maxMsgs(1);
    binder.bind('$.A', true);
    binder.reportReplierBinds(0);
    binder.bind('$.B', true);
    assert.equal(h.drain(watcher).length, 1);
  });

  it('reach the binder itself when it listens', () => {
    const { h, binder } = reporting();
    binder.bind(EVENT);
    binder.bind('$.Self', true);
    assert.equal(event(h.next(binder)).binder, binder.id);
  });

  it('reach wildcard listeners of $.KBUS', () => {
    const { h, binder } = reporting();
    const wide = h.open();
    wide.bind('$.*');
    binder.bind('$.A', true);
    assert.deepEqual(names(h.drain(wide)), [EVENT]);
  });
});

describe('unbind events on close', () => {
  /** A binder holding these replier bindings closes while the event watcher's queue is full. */
  function closedOnFullWatcher(repliers: string[]) {
    const h = new Harness();
    const [binder, watcher] = [h.open(), h.open()];
    for (const n of repliers) binder.bind(n, true);
    watcher.bind(EVENT);
    watcher.bind('$.Fill');
    binder.reportReplierBinds(1);
    h.drain(binder);
    watcher.maxMsgs(1);
    h.send(binder, { name: '$.Fill' });
    binder.close();
    return { h, watcher };
  }

  it('are sent per replier binding, newest first', () => {
    const { h, binder, watcher } = reporting();
    binder.bind('$.One', true);
    binder.bind('$.Two', true);
    h.drain(watcher);
    binder.close();
    assert.deepEqual(h.drain(watcher).map((m) => event(m).name), ['$.Two', '$.One']);
  });

  it('are set aside for every listener when one has no room, even one that has (as the module does)', () => {
    const h = new Harness();
    const [binder, full, roomy] = [h.open(), h.open(), h.open()];
    binder.bind('$.A', true);
    for (const w of [full, roomy]) w.bind(EVENT);
    full.bind('$.Fill');
    full.maxMsgs(1);
    binder.reportReplierBinds(1);
    h.drain(binder);
    h.send(binder, { name: '$.Fill' });
    binder.close();
    assert.deepEqual([full.numMsgs(), roomy.numMsgs()], [2, 1]);
    assert.equal(roomy.poll().readable, false);
    assert.equal(roomy.nextMsg(), 0);
    h.send(roomy, { name: '$.Fill' }); // nothing for roomy to pop yet, so its event waits
    roomy.bind('$.Fill');
    h.send(full, { name: '$.Fill' });
    assert.deepEqual(names(h.drain(roomy)), ['$.Fill', EVENT]);
  });

  it('are set aside for listeners without room, counted by NUMMSGS but not by poll', () => {
    const h = new Harness();
    const [binder, watcher, replier] = [h.open(), h.open(), h.open()];
    binder.bind('$.A', true);
    replier.bind('$.Q', true);
    watcher.bind(EVENT);
    watcher.maxMsgs(1);
    h.send(watcher, { name: '$.Q', flags: FLAG.WANT_A_REPLY }); // its one slot is now reserved
    binder.reportReplierBinds(1);
    h.drain(binder);
    binder.close();
    assert.equal(watcher.numMsgs(), 1);
    assert.equal(watcher.poll().readable, false);
  });

  it('arrive in original order through the set-aside list', () => {
    const { h, watcher } = closedOnFullWatcher(['$.A', '$.B', '$.C']);
    assert.equal(watcher.numMsgs(), 4);
    assert.equal(watcher.poll().readable, true);
    assert.deepEqual(h.drain(watcher).map((m) => (m.name === EVENT ? event(m).name : m.name)), ['$.Fill', '$.C', '$.B', '$.A']);
    assert.equal(watcher.numMsgs(), 0);
  });

  it('are per listener: draining one frees only its own backlog', () => {
    const h = new Harness();
    const [binder, w1, w2, sender] = [h.open(), h.open(), h.open(), h.open()];
    binder.bind('$.A', true);
    for (const w of [w1, w2]) {
      w.bind(EVENT);
      w.bind('$.Fill');
      w.maxMsgs(1);
    }
    w1.bind('$.One');
    binder.reportReplierBinds(1);
    h.drain(binder);
    h.send(sender, { name: '$.Fill' });
    binder.close();
    assert.deepEqual(names(h.drain(w1)), ['$.Fill', EVENT]);
    h.send(sender, { name: '$.One', flags: FLAG.ALL_OR_WAIT });
    assert.equal(w2.numMsgs(), 2);
    assertErrno(() => h.send(sender, { name: '$.Fill', flags: FLAG.ALL_OR_WAIT }), 'EAGAIN');
  });

  it('are dropped when the listener unbinds $.KBUS.ReplierBindEvent', () => {
    const { watcher } = closedOnFullWatcher(['$.A', '$.B']);
    assert.equal(watcher.numMsgs(), 3);
    watcher.unbind(EVENT);
    assert.equal(watcher.numMsgs(), 1);
  });

  it('overflowing the 1000-entry list send one UnbindEventsLost per listener instead, until it empties', () => {
    const h = new Harness();
    const [binder, reporter, sender] = [h.open(), h.open(), h.open()];
    const watchers = [h.open(), h.open()];
    for (const w of watchers) {
      w.bind(EVENT);
      w.bind('$.Fill');
      w.maxMsgs(1);
    }
    for (let i = 0; i < 501; i++) binder.bind(`$.R${i}`, true);
    reporter.maxMsgs(1000);
    reporter.reportReplierBinds(1);
    h.send(sender, { name: '$.Fill' });
    binder.close(); // 500 bindings × 2 watchers fill the list; the 501st overflows it
    assert.equal(watchers[0].numMsgs(), 1 + 500 + 1);
    const got = h.drain(watchers[0]);
    assert.equal(got.length, 502);
    assert.equal(event(got[1]).name, '$.R500');
    const lost = got[501];
    assert.equal(lost.name, KBUS_NAME.UNBIND_EVENTS_LOST);
    assert.deepEqual([lost.flags, lost.from, lost.to, lost.data.length], [FLAG.SYNTHETIC, 0, 0, 0]);
    h.drain(watchers[1]);
    const again = h.open();
    again.bind('$.Again', true);
    for (const w of watchers) h.drain(w);
    again.close();
    assert.equal(event(h.next(watchers[0])).name, '$.Again');
  });
});
