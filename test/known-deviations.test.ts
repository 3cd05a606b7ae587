/**
 * Known deviations: reading the list (entries expected to fail, and `not-run:` entries), judging
 * results against it (strict for a scenario name, all-or-nothing for a behaviour id), the advice
 * an unexpected pass gives, and the original module's list against a reference given the
 * module's bugs.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KnownDeviations, readKnownDeviations } from '../cli/deviations';
import type { ResultEnvelope } from '../cli/envelope';
import { junitXml } from '../cli/junit';
import type { RawResult, Scenario, ScenarioResult } from '../cli/outcomes';
import { ENVELOPE_FILE } from '../cli/reports';
import { PACKAGE_ROOT } from '../cli/package';
import { renderSummary } from '../cli/summary';
import { runCli } from './cli-run';

const ORIGINAL_MODULE = path.join(PACKAGE_ROOT, 'adapters', 'kernel', 'known-deviations', 'original-module.txt');
const MODULE_LIKE_ADAPTER = path.join(PACKAGE_ROOT, 'dist', 'test', 'fixtures', 'module-like-adapter.js');

function scenario(name: string, ids: string[]): Scenario {
  return { pickleId: name, name, uri: 'features/x.feature', file: '/x/features/x.feature', line: 1, area: 'x', ids, tags: ids.map((id) => `@${id}`) };
}

/** Three rows of IOC-13, one of ALL-05, one of SYN-12 and one of NAME-01. */
const SUITE = [
  scenario('row 0', ['IOC-13']),
  scenario('row 5', ['IOC-13']),
  scenario('row 10', ['IOC-13']),
  scenario('refuses bytes', ['ALL-05']),
  scenario('stateful', ['SYN-12']),
  scenario('names', ['NAME-01']),
];

const PASSED: RawResult = { outcome: 'passed', seconds: 0 };
const FAILED: RawResult = { outcome: 'failed', message: 'AssertionError: LENLEFT', seconds: 0 };
const SKIPPED_BY_HOOK: RawResult = { outcome: 'skipped', skipReason: 'not run: it oopses', seconds: 0 };

let dir: string;
before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-deviations-test-'))));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function list(text: string, suite: Scenario[] = SUITE): KnownDeviations {
  const file = path.join(dir, 'deviations.txt');
  fs.writeFileSync(file, text);
  return readKnownDeviations(file, { scenarios: suite, wholeSuite: true });
}

function judgeAll(deviations: KnownDeviations, raws: Record<string, RawResult>): { results: ScenarioResult[]; notes: string[] } {
  const results = SUITE.filter((s) => raws[s.name]).map((s) => deviations.judge(s, raws[s.name]!));
  return deviations.settle(results, SUITE);
}

const outcomeOf = (results: ScenarioResult[], name: string) => results.find((r) => r.name === name)?.outcome;

describe('reading a known-deviations list', () => {
  it('takes ids, scenario names and not-run entries with their reasons', () => {
    const d = list('# comment\nIOC-13\nrow 0   # by name\nnot-run: ALL-05 -- it oopses on the next poll\nnot-run: stateful -- wedges the device\n');
    assert.deepEqual(d.entries, [
      { entry: 'IOC-13', kind: 'id', line: 2 },
      { entry: 'row 0', kind: 'name', line: 3 },
      { entry: 'ALL-05', kind: 'id', line: 4, notRun: 'it oopses on the next poll' },
      { entry: 'stateful', kind: 'name', line: 5, notRun: 'wedges the device' },
    ]);
  });

  it('refuses a not-run entry without its reason, or without what not to run', () => {
    assert.throws(() => list('not-run: ALL-05\n'), /deviations\.txt:1: a not-run entry names what not to run and why: "not-run: ENTRY -- REASON"/);
    assert.throws(() => list('IOC-13\nnot-run: ALL-05 --\n'), /deviations\.txt:2: a not-run entry/);
    assert.throws(() => list('not-run: -- because\n'), /deviations\.txt:1: a not-run entry/);
  });

  it('checks what a not-run entry names like any other entry', () => {
    assert.throws(() => list('not-run: ALL-99 -- no such id\n'), /deviations\.txt:1: ALL-99 is not a behaviour id of the suite/);
    assert.throws(() => list('not-run: no such scenario -- gone\n'), /deviations\.txt:1: no scenario in the suite is named "no such scenario"/);
  });
});

describe('judging results against the list', () => {
  it('a scenario of a listed id that passes is passed while another of the id fails, with a note', () => {
    const { results, notes } = judgeAll(list('IOC-13\n'), { 'row 0': FAILED, 'row 5': FAILED, 'row 10': PASSED });
    assert.deepEqual(
      results.map((r) => [r.name, r.outcome]),
      [['row 0', 'expected-failure'], ['row 5', 'expected-failure'], ['row 10', 'passed']],
    );
    assert.deepEqual(notes, ['known deviation IOC-13 (line 1): 1 of its 3 scenarios passed; the others are why it stays listed']);
  });

  it('every scenario of a listed id passing is an unexpected pass each', () => {
    const { results } = judgeAll(list('IOC-13\n'), { 'row 0': PASSED, 'row 5': PASSED, 'row 10': PASSED });
    assert.deepEqual(results.map((r) => r.outcome), ['unexpected-pass', 'unexpected-pass', 'unexpected-pass']);
  });

  it('a listed id whose failing scenarios were not selected proves nothing: its passes stay passed', () => {
    const { results, notes } = judgeAll(list('IOC-13\n'), { 'row 10': PASSED });
    assert.equal(outcomeOf(results, 'row 10'), 'passed');
    assert.match(notes[0]!, /1 of its 3 scenarios passed/);
  });

  it('a listed scenario name is strict, and takes its scenario away from its id\'s entry', () => {
    const { results, notes } = judgeAll(list('IOC-13\nrow 10\n'), { 'row 0': FAILED, 'row 5': FAILED, 'row 10': PASSED });
    assert.equal(outcomeOf(results, 'row 10'), 'unexpected-pass');
    assert.deepEqual([outcomeOf(results, 'row 0'), outcomeOf(results, 'row 5')], ['expected-failure', 'expected-failure']);
    assert.deepEqual(notes, []);
  });

  it('a not-run entry makes the scenario the hook skipped "not run" with its reason, whatever else lists it', () => {
    const d = list('refuses bytes\nnot-run: ALL-05 -- it oopses\n');
    assert.deepEqual(d.notRunReasons(SUITE), { 'refuses bytes': 'it oopses' });
    const r = d.judge(SUITE[3]!, SKIPPED_BY_HOOK);
    assert.equal(r.outcome, 'not-run');
    assert.equal(r.message, 'it oopses');
    assert.equal(r.deviation, 'ALL-05');
    assert.equal(r.skipReason, undefined);
  });

  it('reports show a scenario not run as not run with its reason, and not as a failure', () => {
    const d = list('not-run: ALL-05 -- it oopses\n');
    const results = [d.judge(SUITE[3]!, SKIPPED_BY_HOOK), d.judge(SUITE[5]!, PASSED)];
    assert.match(junitXml(results), /failures="0" errors="0" skipped="1"[\s\S]*<skipped message="not run \(known deviation ALL-05\): it oopses"\/>/);
    const summary = renderSummary({ results, verdict: 'conforming', implementation: 'x', adapter: 'reference', selection: 'all 6 scenarios', partial: false, runHookFailures: [], unusedDeviations: [], deviationNotes: [], reports: [] });
    assert.match(summary, /^not run 1: it oopses \(known deviation ALL-05\)$/m);
    assert.match(summary, /CONFORMING: x: 1 passed, 1 not run$/m);
    assert.doesNotMatch(summary, /Needs attention/);
  });
});

describe('the advice an unexpected pass gives', () => {
  it('for a scenario name: remove that line', () => {
    const { results } = judgeAll(list('# comment\nIOC-13\nrow 10\n'), { 'row 0': FAILED, 'row 5': FAILED, 'row 10': PASSED });
    assert.match(results.find((r) => r.name === 'row 10')!.message!, /remove line 3 \("row 10"\) from .*deviations\.txt$/);
  });

  it('for a behaviour id: remove the id, and only once none of its scenarios fails', () => {
    const { results } = judgeAll(list('\nSYN-12\n'), { stateful: PASSED });
    assert.match(results[0]!.message!, /^every scenario of SYN-12 passed: the deviation is gone; remove line 2 \("SYN-12"\) from .*deviations\.txt$/);
  });
});

describe("the original module's list", () => {
  let envelope: ResultEnvelope;
  let run: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    run = await runCli(['--quiet', '--adapter', MODULE_LIKE_ADAPTER, '--known-deviations', ORIGINAL_MODULE, '--reports', 'reports'], { cwd: dir, boundMs: 120_000 });
    envelope = JSON.parse(fs.readFileSync(path.join(dir, 'reports', ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
  });

  it('is exactly what a reference with the module\'s bugs fails, with ALL-05 and the use-after-free not run', () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const { failed, broken, 'unexpected-pass': unexpected, 'expected-failure': expected, 'not-run': notRun } = envelope.totals;
    assert.deepEqual({ failed, broken, unexpected, expected, notRun }, { failed: 0, broken: 0, unexpected: 0, expected: 7, notRun: 3 });
    assert.deepEqual(
      envelope.scenarios.filter((s) => s.outcome === 'not-run').map((s) => s.ids),
      [['ALL-05'], ['ALL-05'], ['RBE-13', 'BIND-07']],
    );
  });

  it('shows the scenarios not run in Allure as skipped, with the reason', () => {
    const results = path.join(dir, 'reports', 'allure-results');
    const notRun = fs
      .readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(results, f), 'utf8')) as { status: string; statusDetails?: { message?: string } })
      .filter((r) => r.statusDetails?.message?.startsWith('Not run (known deviation ALL-05): the module oopses'));
    assert.deepEqual(notRun.map((r) => r.status), ['skipped', 'skipped']);
  });

  it('lists exactly the scenarios tagged @spec-over-module', () => {
    const tagged = envelope.scenarios.filter((s) => s.tags.includes('@spec-over-module')).map((s) => s.name);
    const listed = envelope.scenarios.filter((s) => s.deviation !== undefined).map((s) => s.name);
    assert.deepEqual(listed, tagged);
  });
});
