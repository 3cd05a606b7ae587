/**
 * A device that stops answering, met through the kernel adapter: the served device holds one
 * NEXTMSG forever, and the run must report that scenario broken with a timeout naming NEXTMSG,
 * go on with the next ones, and end (exit 1) instead of hanging on the stuck call. Skipped,
 * with the reason, where FUSE cannot be mounted.
 */

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { stallFromEnv, STALL_ENV } from '../fuse/stall';
import { fuseUnavailable, startServer } from './fuse-harness';

const noFuse = fuseUnavailable();
const ROOT = path.join(__dirname, '../..');
const OPERATION_TIMEOUT_MS = 1_000;
/** The whole run's bound: a run that hangs on the stuck call is killed and fails the test. */
const RUN_BOUND_MS = 60_000;

function mounted(dir: string): boolean {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir} `);
}

/** The CLI's exit code and stdout, or null for the code when it had to be killed. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/kbus-conformance.js'), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_BOUND_MS);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, ms: Date.now() - started });
    }),
  );
}

describe('the stalling FUSE server option', () => {
  it('reads IOCTL:N and refuses anything else', () => {
    assert.equal(stallFromEnv({}), undefined);
    assert.deepEqual(stallFromEnv({ [STALL_ENV]: 'NEXTMSG:3' }), { ioctl: 'NEXTMSG', after: 3 });
    assert.throws(() => stallFromEnv({ [STALL_ENV]: 'NEXTMESSAGE:3' }), /must be IOCTL:N/);
    assert.throws(() => stallFromEnv({ [STALL_ENV]: 'NEXTMSG' }), /must be IOCTL:N/);
  });
});

describe('a device that stops answering one call', { skip: noFuse ? `FUSE unavailable: ${noFuse}` : false }, () => {
  const modes = [
    { mode: 'serially', options: [] },
    // Each cucumber worker ends with process.exit, which must not wait for the stuck thread either.
    { mode: 'in parallel workers', options: ['--parallel', '2', '--adapter-option', 'newDevicePerWorker=true'] },
  ];
  for (const { mode, options } of modes) {
    it(`run ${mode}: breaks only the scenario that met it, naming NEXTMSG, and the run still ends with exit 1`, async () => {
      const served = await startServer(['--max-message-size', '409600'], undefined, { ...process.env, [STALL_ENV]: 'NEXTMSG:0' });
      const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-reports-'));
      try {
        const run = await runCli(['--quiet', '--reports', reports, '--adapter', 'kernel', '--device', served.device(0), ...options, 'features/broadcast.feature'], {
          ...process.env,
          KBUS_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS),
        });
        assert.equal(run.code, 1, `the run did not end by itself within ${RUN_BOUND_MS} ms:\n${run.stdout}`);
        assert.match(run.stdout, new RegExp(`NEXTMSG on "\\w+" did not answer within ${OPERATION_TIMEOUT_MS} ms`));

        const { scenarios } = JSON.parse(fs.readFileSync(path.join(reports, 'kbus-conformance.json'), 'utf8')) as { scenarios: { name: string; outcome: string }[] };
        const broken = scenarios.flatMap((s, i) => (s.outcome === 'broken' ? [i] : []));
        assert.equal(broken.length, 1, JSON.stringify(scenarios));
        if (options.length === 0) assert.ok(broken[0] < scenarios.length - 1, 'the stalled scenario was the last: nothing shows the run went on');
        assert.ok(scenarios.every((s, i) => i === broken[0] || s.outcome === 'passed'), JSON.stringify(scenarios));
      } finally {
        fs.rmSync(reports, { recursive: true, force: true });
        await served.stop();
      }
      assert.ok(!mounted(served.dir));
    });
  }
});
