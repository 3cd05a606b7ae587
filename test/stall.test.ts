/**
 * A device that stops answering: the run ends, with one line naming the scenario and the call;
 * the scenario that met the stall is reported broken, the ones not run as not run, and the
 * process exits 1, serially and with --parallel.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResultEnvelope } from '../cli/envelope';
import { ENVELOPE_FILE } from '../cli/reports';
import { FAULTY_ADAPTER, runCli, survivors } from './cli-run';

/** The stalling scenario comes first so that the others show what was not run. */
const FEATURE = `@area:fixture
Feature: stall fixture

  @BC-01 @spec:announcements @core
  Scenario: stall: a reader whose NEXTMSG never answers
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Fred"
    When "alice" sends an announcement "$.Fred"
    Then "bob" receives "$.Fred"

  @NAME-06 @spec:message-names @core
  Scenario: stall: a bind after the stalled scenario
    Given a Ksock "alice"
    When "alice" binds as a listener to "$.Fred"
    Then it succeeds

  @NAME-07 @spec:message-names @core
  Scenario: stall: another bind after the stalled scenario
    Given a Ksock "carol"
    When "carol" binds as a listener to "$.Jim"
    Then it succeeds
`;

const OPERATION_TIMEOUT_MS = 1000;
const STALLED = 'stall: a reader whose NEXTMSG never answers';

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-stall-test-'));
  fs.writeFileSync(path.join(dir, 'stall.feature'), FEATURE);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function outcomes(reports: string): Map<string, { outcome: string; message?: string }> {
  const envelope = JSON.parse(fs.readFileSync(path.join(dir, reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
  return new Map(envelope.scenarios.map((s) => [s.name, { outcome: s.outcome, message: s.message }]));
}

describe('a stalled operation', () => {
  const cases = [
    { what: 'a call that never answers', fault: 'stall=nextMsg', parallel: '1' },
    { what: 'a call that never answers', fault: 'stall=nextMsg', parallel: '2' },
    // Seen by the watchdog thread, since the thread that made the call can do nothing more.
    { what: 'a call that blocks its thread', fault: 'freeze=nextMsg', parallel: '1' },
    { what: 'a call that blocks its thread', fault: 'freeze=nextMsg', parallel: '2' },
  ];
  for (const { what, fault, parallel } of cases) {
    it(`${what} ends the run: its scenario broken, the later ones not run, one line saying why (--parallel ${parallel})`, async () => {
      const reports = `reports-${fault}-${parallel}`;
      const r = await runCli(
        ['--quiet', '--parallel', parallel, '--reports', reports, '--adapter', FAULTY_ADAPTER, '--adapter-option', fault, 'stall.feature'],
        { cwd: dir, env: { KBUS_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS) } },
      );
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const line = `the device stopped answering: NEXTMSG on "bob" did not answer within ${OPERATION_TIMEOUT_MS} ms in scenario "${STALLED}"; the run was stopped`;
      assert.equal(r.stderr, `kbus-conformance: ${line}\n`);
      const results = outcomes(reports);
      assert.deepEqual(results.get(STALLED), { outcome: 'broken', message: line });
      // With two workers the others may have run beside the stalled one; serially they come after it.
      const others = [...results].filter(([name]) => name !== STALLED).map(([, o]) => o.outcome);
      assert.deepEqual(others, parallel === '1' ? ['not-run', 'not-run'] : others.map((o) => (o === 'passed' ? 'passed' : 'not-run')));
    });
  }
});

describe('the overall bound (--timeout)', () => {
  const cases = [
    { what: 'a call that never answers, with no per-call bound to catch it', fault: 'stall=nextMsg', parallel: '1' },
    { what: 'a call that blocks the main thread', fault: 'freeze=nextMsg', parallel: '1' },
    { what: 'a call that blocks a parallel worker', fault: 'freeze=nextMsg', parallel: '2' },
  ];
  for (const { what, fault, parallel } of cases) {
    it(`stops a run held by ${what}: one line, exit 1, nothing left running`, async () => {
      const marker = `KBUS_STALL_TEST_RUN=${process.pid}-${fault}-${parallel}`;
      const r = await runCli(['--quiet', '--timeout', '0.02', '--parallel', parallel, '--reports', 'bound-reports', '--adapter', FAULTY_ADAPTER, '--adapter-option', fault, 'stall.feature'], {
        cwd: dir,
        env: { KBUS_OPERATION_TIMEOUT_MS: '600000', [marker.split('=')[0]]: marker.split('=')[1] },
        boundMs: 30_000,
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stderr, 'kbus-conformance: the run did not finish within 0.02 minutes (--timeout): stopped\n');
      assert.deepEqual(survivors(marker), []);
    });
  }
});
