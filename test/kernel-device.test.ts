/**
 * The kernel adapter through real system calls. The error paths run on /dev/null, regular
 * files and missing paths. The checks that need a device use KBUS_DEVICE or /dev/kbus0 when
 * present, else a device served through FUSE from the reference where that is possible, and
 * otherwise say why they were skipped.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDevice, createAdapter } from '../adapters/kernel';
import { KernelKsock } from '../adapters/kernel/ksock';
import { sysOpen } from '../adapters/kernel/syscalls';
import { decodeEntire, encodeEntire } from '../wire/message';
import { fuseUnavailable, startServer, type ServedDevices } from './fuse-harness';

const GIVEN_DEVICE = process.env.KBUS_DEVICE ?? '/dev/kbus0';
const noFuse = fs.existsSync(GIVEN_DEVICE) ? undefined : fuseUnavailable();

async function loadError(device: string): Promise<Error> {
  return createAdapter({ device }).then(
    () => assert.fail(`${device} was accepted as a KBUS device`),
    (e: Error) => e,
  );
}

describe('kernel adapter on files that are not KBUS devices', () => {
  it('a missing path is reported as no such device', async () => {
    const e = await loadError('/dev/kbus9-not-here');
    assert.equal(e.name, 'AdapterLoadError');
    assert.equal(e.message, 'no such device: /dev/kbus9-not-here');
  });

  it('/dev/null answers KBUS ioctls with ENOTTY: not a KBUS device', async () => {
    const e = await loadError('/dev/null');
    assert.match(e.message, /^not a KBUS device: \/dev\/null/);
  });

  it('a regular file is not a KBUS device either (and need not be a character device to be tried)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-')), 'kbus0');
    fs.writeFileSync(file, '');
    assert.match((await loadError(file)).message, /^not a KBUS device: /);
  });

  it('a device the user may not open is reported with how to fix it', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-'));
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, 'kbus0');
    fs.writeFileSync(file, '', { mode: 0o000 }); // no one but root may open it
    let message: string;
    if (process.getuid?.() !== 0) {
      message = (await loadError(file)).message;
    } else {
      // root opens anything: ask an unprivileged child instead.
      const probe = `require(${JSON.stringify(path.join(__dirname, '../adapters/kernel'))}).createAdapter({device:${JSON.stringify(file)}}).then(()=>console.log('accepted'),e=>console.log(e.message))`;
      const run = spawnSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, encoding: 'utf8' });
      if (run.error) return t.skip(`cannot run a process as an unprivileged user: ${run.error.message}`);
      message = run.stdout.trim();
    }
    assert.match(message, /^permission denied opening .*kbus0: run as root, or .*chmod a\+rw/);
  });

  it('write, read, poll and close reach the file through real system calls', async () => {
    const ksock = new KernelKsock(sysOpen('/dev/null', 'rw'), 8, () => undefined);
    assert.equal(await ksock.write(encodeEntire({ name: '$.Fred' })), 100);
    assert.equal((await ksock.read(16)).length, 0);
    assert.deepEqual(await ksock.poll({ readable: true, writable: true }, 1000), { readable: true, writable: true });
    await assert.rejects(ksock.ksockId(), { name: 'KbusError', errno: 'ENOTTY', operation: 'KSOCKID' });
    await ksock.close();
    await assert.rejects(ksock.close(), { errno: 'EBADF' });
  });

  it('write on a Ksock opened read-only fails with EBADF from the kernel', async () => {
    const ksock = new KernelKsock(sysOpen('/dev/null', 'r'), 8, () => undefined);
    await assert.rejects(ksock.write(Buffer.alloc(4)), { errno: 'EBADF', operation: 'write' });
    await ksock.close();
  });
});

describe('kernel adapter on a KBUS device', () => {
  const skip = noFuse ? `no KBUS device at ${GIVEN_DEVICE} (load the module, or set KBUS_DEVICE) and no FUSE device: ${noFuse}` : false;
  let served: ServedDevices | undefined;
  let DEVICE = GIVEN_DEVICE;

  before(async () => {
    if (skip || fs.existsSync(GIVEN_DEVICE)) return;
    served = await startServer();
    DEVICE = served.device(0);
  });
  after(async () => {
    await served?.stop();
  });

  it('reads the device limits', { skip }, async (t) => {
    t.diagnostic(`device: ${DEVICE}${served ? ' (the reference, served through FUSE)' : ''}`);
    const limits = await checkDevice(DEVICE);
    assert.ok(limits.absoluteMaxMessageSize >= limits.defaultMaxMessageSize);
    assert.ok(limits.defaultMaxMessages > 0);
  });

  it('an announcement goes from one Ksock to a listener, bytes intact', { skip }, async () => {
    const adapter = await createAdapter({ device: DEVICE });
    const buses = await adapter.beginScenario();
    const sender = await buses.bus.open('rw');
    const listener = await buses.bus.open('r');
    await listener.bind('$.Kernel.Adapter', false);
    const bytes = encodeEntire({ name: '$.Kernel.Adapter', data: Buffer.from('abc1234') }, adapter.pointerSize);
    assert.equal(await sender.write(bytes), bytes.length);
    const id = await sender.send();
    assert.deepEqual(await listener.poll({ readable: true }, 1000), { readable: true, writable: false });
    const length = await listener.nextMsg();
    const got = decodeEntire(await listener.read(length), adapter.pointerSize);
    assert.deepEqual(got.id, id);
    assert.equal(got.from, await sender.ksockId());
    assert.equal(got.data.toString(), 'abc1234');
    assert.deepEqual(await buses.end(), { leftOpen: 2 });
    await adapter.dispose();
  });
});
