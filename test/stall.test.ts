/**
 * A device that stops answering: the scenario that met the stall is reported broken with the
 * operation named, the scenarios after it still run, and the process exits 1 within a bound,
 * serially and with --parallel.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResultEnvelope } from '../cli/envelope';
import { ENVELOPE_FILE } from '../cli/reports';
import { FAULTY_ADAPTER, runCli } from './cli-run';

/** The stalling scenario comes first so that the others show the run went on. */
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
  for (const parallel of ['1', '2']) {
    it(`breaks only its scenario and the run ends (--parallel ${parallel})`, async () => {
      const reports = `reports-${parallel}`;
      const r = await runCli(
        ['--quiet', '--parallel', parallel, '--reports', reports, '--adapter', FAULTY_ADAPTER, '--adapter-option', 'stall=nextMsg', 'stall.feature'],
        { cwd: dir, env: { KBUS_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS) } },
      );
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /NEXTMSG on "bob" did not answer within 1000 ms/);
      const results = outcomes(reports);
      assert.deepEqual(results.get('stall: a reader whose NEXTMSG never answers'), {
        outcome: 'broken',
        message: `NEXTMSG on "bob" did not answer within ${OPERATION_TIMEOUT_MS} ms`,
      });
      assert.equal(results.get('stall: a bind after the stalled scenario')?.outcome, 'passed');
      assert.equal(results.get('stall: another bind after the stalled scenario')?.outcome, 'passed');
    });
  }
});

/** Processes still carrying `marker` in their environment: what a stopped run left behind. */
function survivors(marker: string): number[] {
  return fs.readdirSync('/proc').filter((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      return fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}

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
