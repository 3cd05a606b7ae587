/**
 * A device that stops answering, met through the kernel adapter: the served device never
 * answers the first NEXTMSG, as a module that oopsed with its mutex held never answers again.
 * The run must end by itself within twice the operation timeout of the held call, with one
 * line naming the scenario and the call, the scenario broken, every scenario it did not finish
 * reported as not run, and no process of the run left behind. Skipped, with the reason, where
 * FUSE cannot be mounted.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ResultEnvelope } from '../cli/envelope';
import { ENVELOPE_FILE } from '../cli/reports';
import { stallFromEnv, STALL_ENV } from '../fuse/stall';
import { runCli, survivors } from './cli-run';
import { fuseUnavailable, startServer } from './fuse-harness';

const noFuse = fuseUnavailable();
const ROOT = path.join(__dirname, '../..');
const OPERATION_TIMEOUT_MS = 3_000;

function mounted(dir: string): boolean {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir} `);
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
    // Broadcast's first scenario reads the first message: every other scenario comes after it.
    { mode: 'serially', options: ['features/broadcast.feature'] },
    // The whole suite, so that the other worker cannot finish the rest before the stall is seen.
    { mode: 'in parallel workers', options: ['--parallel', '2', '--adapter-option', 'newDevicePerWorker=true'] },
  ];
  for (const { mode, options } of modes) {
    it(`run ${mode}: the run ends within twice the operation timeout, saying so in one line, every unfinished scenario not run`, async (t) => {
      const served = await startServer(['--max-message-size', '409600'], undefined, { ...process.env, [STALL_ENV]: 'NEXTMSG:0' });
      const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-reports-'));
      let heldAt = 0;
      served.child.stderr!.on('data', (d: Buffer) => {
        if (!heldAt && d.toString().includes('holding NEXTMSG')) heldAt = Date.now();
      });
      const marker = `KBUS_FUSE_STALL_TEST=${process.pid}-${options.length}`;
      try {
        const run = await runCli(['--quiet', '--reports', reports, '--adapter', 'kernel', '--device', served.device(0), ...options], {
          cwd: ROOT,
          env: { KBUS_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS), [marker.split('=')[0]!]: marker.split('=')[1] },
        });
        assert.equal(run.code, 1, run.stdout + run.stderr);
        const line = new RegExp(`^kbus-conformance: the device stopped answering: NEXTMSG on "\\w+" did not answer within ${OPERATION_TIMEOUT_MS} ms in scenario "([^"]+)"; the run was stopped\\n$`);
        const stalled = line.exec(run.stderr)?.[1];
        assert.ok(stalled, run.stderr);

        const { scenarios } = JSON.parse(fs.readFileSync(path.join(reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
        assert.deepEqual(
          scenarios.filter((s) => s.outcome === 'broken').map((s) => s.name),
          [stalled],
        );
        const others = scenarios.filter((s) => s.name !== stalled);
        // The other worker may have finished scenarios meanwhile; serially, none came after it.
        const allowed = options.length === 1 ? ['not-run'] : ['not-run', 'passed'];
        assert.ok(others.every((s) => allowed.includes(s.outcome)), JSON.stringify(scenarios));
        assert.ok(others.some((s) => s.outcome === 'not-run'), JSON.stringify(scenarios));

        assert.ok(heldAt > 0, 'the server never held a NEXTMSG');
        const afterStall = run.exitedAt - heldAt;
        t.diagnostic(`the run ended ${afterStall} ms after the device began holding the call (operation timeout ${OPERATION_TIMEOUT_MS} ms)`);
        assert.ok(afterStall <= 2 * OPERATION_TIMEOUT_MS, `the run ended ${afterStall} ms after the device began holding the call`);
        assert.deepEqual(survivors(marker), []);
      } finally {
        fs.rmSync(reports, { recursive: true, force: true });
        await served.stop();
      }
      assert.ok(!mounted(served.dir));
    });
  }
});
