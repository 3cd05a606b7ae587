/**
 * The reference served as device files through FUSE: a C client, the kernel adapter and the
 * whole suite use it as they would use /dev/kbusN; the server's life cycle (unmount on
 * SIGTERM, refusing stale or busy mount points). Skipped, with the reason, where FUSE cannot
 * be mounted.
 */

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAdapter } from '../adapters/kernel';
import { decodeEntire, encodeEntire } from '../wire/message';
import { outcomeDifferences, suiteOutcomes } from './cli-run';
import { assertFreshBuses } from './fresh-buses';
import { fuseUnavailable, refusedStart, startServer, type ServedDevices } from './fuse-harness';

const noFuse = fuseUnavailable();
const ROOT = path.join(__dirname, '../..');

function mounted(dir: string): boolean {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir} `);
}

/** Processes (other than this one) whose command line mentions `text`, as "pid command line". */
function processesNaming(text: string): string[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .flatMap((p) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
        return cmdline.includes(text) ? [`${p} ${cmdline}`] : [];
      } catch {
        return []; // it ended while we looked
      }
    });
}

/** Polls `done` until it holds or `ms` have passed. */
async function within(ms: number, done: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('reference devices served through FUSE', { skip: noFuse ? `FUSE unavailable: ${noFuse}` : false }, () => {
  let served: ServedDevices;

  before(async () => {
    served = await startServer(['--devices', '2', '--max-message-size', '409600']);
  });
  after(async () => {
    await served?.stop();
  });

  it('the mount holds kbus0 and kbus1, readable and writable by anyone, and the bindings report', () => {
    assert.deepEqual(fs.readdirSync(served.dir).sort(), ['bindings', 'kbus0', 'kbus1']);
    assert.equal(fs.statSync(served.device(0)).mode & 0o777, 0o666);
    assert.ok(mounted(served.dir));
  });

  it('a C client speaks to it as to /dev/kbus0, as root and as an unprivileged user', (t) => {
    const binary = path.join(os.tmpdir(), `kbus-client-${process.pid}`);
    const cc = spawnSync('cc', ['-Wall', '-Wextra', '-Werror', '-o', binary, path.join(ROOT, 'test/c/kbus-client.c')], { encoding: 'utf8' });
    if (cc.error) return t.skip(`no C compiler: ${cc.error.message}`);
    assert.equal(cc.status, 0, cc.stderr);
    try {
      for (const user of [{}, { uid: 65534, gid: 65534 }]) {
        const run = spawnSync(binary, [served.device(0)], { encoding: 'utf8', timeout: 10_000, ...user });
        assert.equal(run.status, 0, `${JSON.stringify(user)}\n${run.stdout}${run.stderr}`);
        assert.doesNotMatch(run.stdout, /^not ok/m);
      }
    } finally {
      fs.rmSync(binary, { force: true });
    }
  });

  it('a blocked poll wakes up when a message arrives', async () => {
    const adapter = await createAdapter({ device: served.device(0) });
    const buses = await adapter.beginScenario();
    const listener = await buses.bus.open('r');
    const sender = await buses.bus.open('rw');
    await listener.bind('$.Wake.Up', false);
    const started = Date.now();
    const woken = listener.poll({ readable: true }, 5_000);
    await sender.write(encodeEntire({ name: '$.Wake.Up' }, adapter.pointerSize));
    await sender.send();
    assert.deepEqual(await woken, { readable: true, writable: false });
    assert.ok(Date.now() - started < 5_000, 'poll ran into its timeout instead of waking');
    await buses.end();
  });

  it('NEWDEVICE adds a file that opens at once, walled off from the first bus', async () => {
    const adapter = await createAdapter({ device: served.device(0), newDevicePerWorker: true });
    assert.ok(adapter.capabilities.has('second-bus'));
    const buses = await adapter.beginScenario();
    const other = await buses.secondBus!();
    assert.ok(other.number >= 2);
    assert.ok(fs.existsSync(served.device(other.number)));
    const sender = await buses.bus.open('rw');
    const elsewhere = await other.open('r');
    await elsewhere.bind('$.Walled.Off', false);
    await sender.write(encodeEntire({ name: '$.Walled.Off' }, adapter.pointerSize));
    await sender.send();
    assert.equal(await elsewhere.numMsgs(), 0);
    await buses.end();
  });

  it('with fresh devices asked for, a scenario that needs one gets new buses whose first Ksocks are 1', async () => {
    await assertFreshBuses(await createAdapter({ device: served.device(0), secondDevice: served.device(1), allowNewDevice: true, freshDevices: true }));
  });

  it('a client killed with SIGKILL is released: its replier binding goes', async () => {
    const holder = spawn(process.execPath, ['-e', `
      const { KernelKsock } = require(${JSON.stringify(path.join(__dirname, '../adapters/kernel/ksock'))});
      const { sysOpen } = require(${JSON.stringify(path.join(__dirname, '../adapters/kernel/syscalls'))});
      new KernelKsock(sysOpen(${JSON.stringify(served.device(0))}, 'rw'), 8, () => undefined)
        .bind('$.Killed.Replier', true)
        .then(() => console.log('bound'));
      setInterval(() => undefined, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const adapter = await createAdapter({ device: served.device(0) });
    const buses = await adapter.beginScenario();
    const asker = await buses.bus.open('r');
    assert.notEqual(await asker.replierOf('$.Killed.Replier'), 0);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    assert.equal(await asker.replierOf('$.Killed.Replier'), 0);
    await buses.end();
  });

  it("every close is seen before the closer's next request, even 500 at once", async () => {
    const adapter = await createAdapter({ device: served.device(0) });
    const buses = await adapter.beginScenario();
    const repliers = await Promise.all(Array.from({ length: 500 }, () => buses.bus.open('r')));
    for (const [i, k] of repliers.entries()) await k.bind(`$.Closed.R${i}`, true);
    for (const k of repliers) await k.close();
    const asker = await buses.bus.open('r');
    const stillBound = [];
    for (let i = 0; i < repliers.length; i++) if ((await asker.replierOf(`$.Closed.R${i}`)) !== 0) stillBound.push(i);
    assert.deepEqual(stillBound, []);
    await buses.end();
  });

  it('the whole suite gives through the kernel adapter what it gives on the reference in-process', () => {
    const options = { newDevicePerWorker: true, allowNewDevice: true, procBindings: path.join(served.dir, 'bindings') };
    const kernel = suiteOutcomes(['--device', served.device(1), ...Object.entries(options).flatMap(([k, v]) => ['--adapter-option', `${k}=${v}`])]);
    assert.ok(kernel.length > 0, 'the suite ran no scenario');
    assert.deepEqual(outcomeDifferences(kernel, suiteOutcomes([]), 'through FUSE'), []);
  });
});

describe('the FUSE server life cycle', { skip: noFuse ? `FUSE unavailable: ${noFuse}` : false }, () => {
  it('SIGTERM unmounts and exits 0', async () => {
    const served = await startServer();
    const dir = served.dir;
    assert.ok(mounted(dir));
    assert.equal(await served.stop(), 0);
    assert.ok(!mounted(dir));
  });

  it('started in the background through npx and stopped with kill $!, nothing stays mounted or running', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-fuse-npx-'));
    const out = path.join(dir, '..', `${path.basename(dir)}.out`);
    // As a CI script does it: $! is npm's process, not the server's.
    const script = `npx kbus-conformance serve --mount "$1" > "$2" 2>&1 &
      for _ in $(seq 600); do grep -q serving "$2" && break; sleep 0.1; done
      grep -q serving "$2" && kill $!`;
    try {
      const started = spawnSync('bash', ['-c', script, 'serve-in-background', dir, out], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
      assert.equal(started.status, 0, `the server did not start: ${fs.readFileSync(out, 'utf8')}`);
      const gone = await within(5_000, () => !mounted(dir) && processesNaming(dir).length === 0);
      assert.ok(gone, `5 s after kill $!: ${mounted(dir) ? 'still mounted; ' : ''}running: ${processesNaming(dir).join('; ')}`);
    } finally {
      for (const pid of processesNaming(dir)) process.kill(Number(pid.split(' ')[0]), 'SIGKILL');
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(out, { force: true });
      fs.rmdirSync(dir);
    }
  });

  it('with --watch-stdin it stops when its standard input closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-fuse-stdin-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/fuse/main.js'), '--mount', dir, '--watch-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      assert.ok(mounted(dir));
      child.stdin.end();
      assert.equal(await exited, 0);
      assert.ok(!mounted(dir));
    } finally {
      child.kill('SIGKILL');
      spawnSync('umount', ['-l', dir]);
      fs.rmdirSync(dir);
    }
  });

  it('a mount point already in use is refused with one line', async () => {
    const served = await startServer();
    const refused = await refusedStart(served.dir);
    await served.stop();
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^\S+ is already a mount point: unmount it first/);
  });

  it('a message larger than one FUSE write request (1 MiB) arrives whole', async () => {
    const served = await startServer(['--max-message-size', String(3 * 1024 * 1024)]);
    try {
      const adapter = await createAdapter({ device: served.device(0) });
      const buses = await adapter.beginScenario();
      const sender = await buses.bus.open('rw');
      const listener = await buses.bus.open('r');
      await listener.bind('$.Big', false);
      const data = Buffer.alloc(2.5 * 1024 * 1024, 'kbus');
      const bytes = encodeEntire({ name: '$.Big', data }, adapter.pointerSize);
      assert.equal(await sender.write(bytes), bytes.length);
      await sender.send();
      const length = await listener.nextMsg();
      assert.equal(length, bytes.length);
      assert.ok(decodeEntire(await listener.read(length), adapter.pointerSize).data.equals(data));
      await buses.end();
    } finally {
      await served.stop();
    }
  });

  it('a stale mount left by a killed server is refused with how to clear it', async () => {
    const served = await startServer();
    served.child.kill('SIGKILL');
    await new Promise((resolve) => served.child.once('exit', resolve));
    try {
      assert.throws(() => fs.statSync(served.dir), { code: 'ENOTCONN' });
      const refused = await refusedStart(served.dir);
      assert.equal(refused.code, 2);
      assert.equal(refused.stderr, `${served.dir} is a stale FUSE mount left by a server that died: unmount it first (umount -l ${served.dir})`);
    } finally {
      spawnSync('umount', ['-l', served.dir]);
      fs.rmdirSync(served.dir);
    }
  });
});
