/** The reference adapter: scenarios, capabilities, poll without sleeping, fake user memory, raw ioctls. */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createAdapter } from '../adapters/reference';
import { KbusError } from '../wire/errno';
import { IOCTL } from '../wire/ioctl';
import { decodeEntire, emptyHeader, encodeEntire } from '../wire/message';

async function rejectsWith(promise: Promise<unknown>, errno: string) {
  await assert.rejects(promise, (e: unknown) => e instanceof KbusError && e.errno === errno);
}

describe('reference adapter', () => {
  it('declares its capabilities and takes the size limits from its options', async () => {
    const adapter = createAdapter({ absoluteMaxMessageSize: 409600, defaultMaxMessageSize: 409600 });
    for (const c of ['fresh-device', 'new-device', 'second-bus', 'pointy-messages', 'proc-reports', 'raw-ioctl'] as const) {
      assert.ok(adapter.capabilities.has(c), c);
    }
    assert.deepEqual(await adapter.limits(), { absoluteMaxMessageSize: 409600, defaultMaxMessageSize: 409600, defaultMaxMessages: 100 });
  });

  it('gives each scenario a fresh device 0', async () => {
    const adapter = createAdapter({});
    for (let i = 0; i < 2; i++) {
      const s = await adapter.beginScenario();
      const k = await s.bus.open('rw');
      assert.equal(await k.ksockId(), 1);
      await k.write(encodeEntire({ name: '$.A' }, adapter.pointerSize));
      assert.deepEqual(await k.send(), { networkId: 0, serialNum: 1 });
      assert.deepEqual(await s.end(), { leftOpen: 1 });
    }
  });

  it('counts and closes what a scenario left open', async () => {
    const s = await createAdapter({}).beginScenario();
    const a = await s.bus.open('rw');
    await s.bus.open('r');
    await a.close();
    assert.deepEqual(await s.end(), { leftOpen: 1 });
    assert.deepEqual(await s.end(), { leftOpen: 0 });
  });

  it('hands out a second bus walled off from the first, and opens devices by number', async () => {
    const s = await createAdapter({}).beginScenario();
    const second = await s.secondBus!();
    assert.equal(second.number, 1);
    const k = await s.openDevice(1, 'rw');
    assert.equal(await k.ksockId(), 1);
    await rejectsWith(s.openDevice(7, 'rw'), 'ENOENT');
    await s.end();
  });

  it('poll waits for a message without sleeping and times out when none comes', async () => {
    const adapter = createAdapter({});
    const s = await adapter.beginScenario();
    const [a, b] = [await s.bus.open('rw'), await s.bus.open('rw')];
    await b.bind('$.A', false);
    assert.deepEqual(await b.poll({ readable: true }, 20), { readable: false, writable: true });
    const waiting = b.poll({ readable: true }, 5000);
    setImmediate(async () => {
      await a.write(encodeEntire({ name: '$.A' }, adapter.pointerSize));
      await a.send();
    });
    const started = Date.now();
    assert.deepEqual(await waiting, { readable: true, writable: true });
    assert.ok(Date.now() - started < 1000);
    await s.end();
  });

  it('poll in sending state retries the send when room appears', async () => {
    const adapter = createAdapter({});
    const s = await adapter.beginScenario();
    const [a, b] = [await s.bus.open('rw'), await s.bus.open('rw')];
    await b.bind('$.A', false);
    await b.maxMsgs(1);
    const bytes = encodeEntire({ name: '$.A', flags: 0x100 }, adapter.pointerSize);
    await a.write(bytes);
    await a.send();
    await a.write(bytes);
    await rejectsWith(a.send(), 'EAGAIN');
    const waiting = a.poll({ writable: true }, 5000);
    setImmediate(() => void b.nextMsg());
    assert.equal((await waiting).writable, true);
    assert.equal(await b.numMsgs(), 1);
    await s.end();
  });

  it('resolves pointy messages through allocated user buffers, EFAULT elsewhere', async () => {
    const adapter = createAdapter({});
    const s = await adapter.beginScenario();
    const [a, b] = [await s.bus.open('rw'), await s.bus.open('rw')];
    await b.bind('$.Fred', false);
    const name = await a.allocate!(Buffer.from('$.Fred\0'));
    const data = await a.allocate!(Buffer.from('abcd'));
    await a.writeHeader!({ ...emptyHeader(), nameLen: 6, dataLen: 4, namePtr: name.address, dataPtr: data.address });
    data.set(Buffer.from('WXYZ'));
    await a.send();
    const length = await b.nextMsg();
    assert.equal(decodeEntire(await b.read(length), adapter.pointerSize).data.toString(), 'WXYZ');
    await a.writeHeader!({ ...emptyHeader(), nameLen: 6, dataLen: 4, namePtr: name.address, dataPtr: data.address + 2n });
    await rejectsWith(a.send(), 'EFAULT');
    await a.writeHeader!({ ...emptyHeader(), nameLen: 6, namePtr: 0xdead0000n });
    await rejectsWith(a.send(), 'EFAULT');
    await s.end();
  });

  it('dispatches raw ioctl numbers: ENOTTY for unknown ones, NEXTMSG returning 1 or 0', async () => {
    const adapter = createAdapter({});
    const s = await adapter.beginScenario();
    const k = await s.bus.open('rw');
    const numbers = IOCTL[adapter.pointerSize];
    await rejectsWith(k.rawIoctl!(0x6b13, 0), 'ENOTTY');
    await rejectsWith(k.rawIoctl!(numbers.KSOCKID ^ 0x00040000, 0), 'ENOTTY');
    await rejectsWith(k.rawIoctl!((numbers.RESET & ~0xff00) | 0x6a00, 0), 'ENOTTY');
    assert.equal(await k.rawIoctl!(numbers.RESET, 0), 0);
    assert.equal(await k.rawIoctl!(numbers.NEXTMSG, 0), 0);
    await k.bind('$.A', false);
    await k.write(encodeEntire({ name: '$.A' }, adapter.pointerSize));
    await k.send();
    assert.equal(await k.rawIoctl!(numbers.NEXTMSG, 0), 1);
    await rejectsWith(k.rawIoctl!(numbers.MSGONLYONCE, 5), 'EINVAL');
    await s.end();
  });

  it('reports /proc/kbus/bindings', async () => {
    const s = await createAdapter({}).beginScenario();
    const k = await s.bus.open('rw');
    await k.bind('$.A', true);
    assert.match(await s.procBindings!(), /^ {2}0: {8}1 +\d+ {2}R {2}\$\.A$/m);
    await s.end();
  });
});
