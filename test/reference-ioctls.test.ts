/** Reading, the remaining ioctls, devices and /proc (IO, IOC, SZ, DEV, OPEN, PROC). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FLAG, SWITCH_QUERY } from '../wire/constants';
import { encodeEntire } from '../wire/message';
import { Harness, assertErrno } from './reference-harness';

describe('reading', () => {
  it('gives nothing with no current message, and NEXTMSG 0 on an empty queue', () => {
    const k = new Harness().open();
    assert.equal(k.read(10).length, 0);
    assert.equal(k.nextMsg(), 0);
    assert.equal(k.lenLeft(), 0);
  });

  it('hands out the current message in pieces, then EOF, with LENLEFT exact throughout (spec-correct in the data part)', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    h.send(a, { name: '$.Fred', data: Buffer.from('abc1234') });
    const total = b.nextMsg();
    assert.equal(total, 108);
    assert.equal(b.numMsgs(), 0);
    const pieces: Buffer[] = [];
    for (let read = 0; read < total; ) {
      assert.equal(b.lenLeft(), total - read);
      const piece = b.read(1);
      pieces.push(piece);
      read += piece.length;
    }
    assert.equal(b.lenLeft(), 0);
    assert.equal(b.read(10).length, 0);
    assert.deepEqual(Buffer.concat(pieces), encodeEntire({ name: '$.Fred', data: Buffer.from('abc1234'), id: { networkId: 0, serialNum: 1 }, from: a.id }, 8));
  });

  it('loses the unread rest of the current message at the next NEXTMSG', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.*');
    h.send(a, { name: '$.One' });
    h.send(a, { name: '$.Two' });
    b.nextMsg();
    b.read(10);
    b.nextMsg();
    assert.equal(b.read(1000).subarray(88, 93).toString(), '$.Two');
  });

  it('drains every message exactly once', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    for (let i = 0; i < 50; i++) h.send(a, { name: '$.A' });
    assert.equal(h.drain(b).length, 50);
  });

  it('gives KBUS status messages their catalogue lengths (GoneAway, Unbound: 116)', () => {
    const h = new Harness();
    const [a, r1, r2] = [h.open(), h.open(), h.open()];
    r1.bind('$.One', true);
    r2.bind('$.Two', true);
    h.send(a, { name: '$.One', flags: FLAG.WANT_A_REPLY });
    h.send(a, { name: '$.Two', flags: FLAG.WANT_A_REPLY });
    r1.close();
    r2.unbind('$.Two', true);
    assert.deepEqual([a.nextMsg(), a.nextMsg()], [116, 116]);
  });
});

describe('DISCARD and SEND with nothing pending', () => {
  it('DISCARD throws away the pending message and is harmless with none', () => {
    const h = new Harness();
    const k = h.open();
    k.discard();
    k.write(encodeEntire({ name: '$.A' }, 8));
    k.discard();
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('SEND twice gives ENOMSG the second time', () => {
    const h = new Harness();
    const k = h.open();
    h.send(k, { name: '$.A' });
    assertErrno(() => k.send(), 'ENOMSG');
  });
});

describe('simple ioctls', () => {
  it('KSOCKID is the `from` others see', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    h.send(a, { name: '$.A' });
    assert.equal(h.next(b)!.from, a.ksockId());
  });

  it('REPLIER finds the exact binding string only, and checks name_len but not syntax', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open()];
    r.bind('$.A.*', true);
    assert.equal(a.replierOf('$.A.B'), 0);
    assert.equal(a.replierOf('$.A.*'), r.id);
    assert.equal(a.replierOf('not a name'), 0);
    assertErrno(() => a.replierOf(Buffer.from('$.A.*'), 0), 'ENAMETOOLONG');
    assertErrno(() => a.replierOf(Buffer.alloc(1001, 0x41), 1001), 'ENAMETOOLONG');
  });

  it('VERBOSE is a device switch returning the previous value, EINVAL otherwise', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    assert.equal(a.verbose(SWITCH_QUERY), 0);
    assert.equal(a.verbose(1), 0);
    assert.equal(b.verbose(SWITCH_QUERY), 1);
    assertErrno(() => a.verbose(7), 'EINVAL');
  });

  it('RESET changes nothing', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.A');
    h.send(a, { name: '$.A' });
    b.reset();
    assert.equal(b.numMsgs(), 1);
  });

  it('are refused on a closed Ksock with EBADF', () => {
    const k = new Harness().open();
    k.close();
    assertErrno(() => k.numMsgs(), 'EBADF');
    assertErrno(() => k.close(), 'EBADF');
  });
});

describe('MAXMSGSIZE', () => {
  it('0 queries the limit, 1 the absolute maximum', () => {
    const k = new Harness({ defaultMaxMessageSize: 2000, absoluteMaxMessageSize: 409600 }).open();
    assert.equal(k.maxMsgSize(0), 2000);
    assert.equal(k.maxMsgSize(1), 409600);
  });

  it('defaults to 1024 / 1024', () => {
    const k = new Harness().open();
    assert.deepEqual([k.maxMsgSize(0), k.maxMsgSize(1)], [1024, 1024]);
  });

  it('sets 100..maximum and refuses 2..99 and above the maximum, unchanged', () => {
    const k = new Harness().open();
    assert.equal(k.maxMsgSize(100), 100);
    assert.equal(k.maxMsgSize(1024), 1024);
    for (const bad of [2, 99, 1025]) assertErrno(() => k.maxMsgSize(bad), 'EINVAL');
    assert.equal(k.maxMsgSize(0), 1024);
  });

  it('belongs to the device: set by one Ksock, it limits another', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    a.maxMsgSize(100);
    assertErrno(() => b.write(encodeEntire({ name: '$.Fred', data: Buffer.alloc(1) }, 8)), 'EMSGSIZE');
  });
});

describe('devices', () => {
  it('NEWDEVICE returns consecutive numbers up to 255, then EINVAL', () => {
    const h = new Harness();
    const k = h.open();
    assert.equal(k.newDevice(), 1);
    assert.equal(k.newDevice(), 2);
    for (let n = 3; n < 256; n++) h.system.newDevice();
    assertErrno(() => k.newDevice(), 'EINVAL');
  });

  it('opening a device that does not exist gives ENOENT', () => {
    const h = new Harness();
    assertErrno(() => h.open('rw', 1), 'ENOENT');
  });

  it('are walled off: ids, serials, bindings, limits and switches are per device', () => {
    const h = new Harness();
    const a0 = h.open();
    const n = a0.newDevice();
    const a1 = h.open('rw', n);
    assert.deepEqual([a0.ksockId(), a1.ksockId()], [1, 1]);
    a1.bind('$.A');
    a0.maxMsgSize(200);
    a0.reportReplierBinds(1);
    assert.deepEqual(h.send(a0, { name: '$.A' }), { networkId: 0, serialNum: 1 });
    assert.equal(a1.numMsgs(), 0);
    assert.deepEqual([a1.maxMsgSize(0), a1.reportReplierBinds(SWITCH_QUERY)], [1024, 0]);
    assert.deepEqual(h.send(a1, { name: '$.A' }), { networkId: 0, serialNum: 1 });
  });

  it('can be opened read-only to bind, receive, read and use MAXMSGS/NUMMSGS', () => {
    const h = new Harness();
    const [a, r] = [h.open(), h.open('r')];
    r.bind('$.A');
    r.maxMsgs(5);
    h.send(a, { name: '$.A' });
    assert.equal(r.numMsgs(), 1);
    assert.equal(h.next(r)!.name, '$.A');
  });

  it('allow a thousand Ksocks open at once', () => {
    const h = new Harness();
    const ksocks = Array.from({ length: 1000 }, () => h.system.open(0));
    assert.equal(ksocks[999].ksockId(), 1000);
  });
});

describe('/proc/kbus/bindings', () => {
  it('lists every device\'s bindings, newest first, in fixed columns', () => {
    const h = new Harness({ pid: 4242 });
    const a = h.open();
    a.bind('$.Sensors.*', true);
    a.bind('$.Sensors.*');
    const n = a.newDevice();
    const b = h.open('rw', n);
    b.bind('$.Jim');
    const lines = h.system.procBindings().split('\n');
    assert.ok(lines[0].startsWith('#'));
    assert.deepEqual(lines.slice(1, 3), ['  0:        1     4242  L  $.Sensors.*', '  0:        1     4242  R  $.Sensors.*']);
    assert.ok(lines[3].startsWith('#'));
    assert.equal(lines[4], '  1:        1     4242  L  $.Jim');
  });

  it('follows UNBIND and close', () => {
    const h = new Harness();
    const a = h.open();
    a.bind('$.A');
    a.bind('$.B');
    a.unbind('$.A');
    assert.ok(!h.system.procBindings().includes('$.A'));
    a.close();
    assert.ok(!h.system.procBindings().includes('$.B'));
  });
});
