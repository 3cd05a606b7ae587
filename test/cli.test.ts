/**
 * The command users and CI run: exit codes, the result envelope, known deviations and the
 * Allure trace of a failure. Runs the compiled CLI as a user would, on a small feature of its
 * own (so the CLI is checked whatever state the suite's features are in) in a scratch folder.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResultEnvelope } from '../cli/envelope';
import { ENVELOPE_FILE } from '../cli/reports';
import { PACKAGE_ROOT } from '../cli/package';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'kbus-conformance.js');

const FEATURE = `@area:fixture
Feature: CLI fixture

  @NAME-06 @spec:message-names @core
  Scenario: fixture: a one-word name can be bound
    Given a Ksock "alice"
    When "alice" binds as a listener to "$.Fred"
    Then it succeeds

  @BC-01 @spec:announcements @core
  Scenario: fixture: an announcement reaches its listener
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Fred"
    When "alice" sends an announcement "$.Fred"
    Then "bob" receives "$.Fred"

  @LAY-04 @spec:message-implementation @extended @needs:time-travel
  Scenario: fixture: needs a capability no adapter has
    Given a Ksock "alice"
`;

/** A reference whose Ksocks never find a message in their queue: announcements "get lost". */
const MUTANT = `const reference = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'adapters', 'reference'))});
const wrap = (target, overrides) =>
  new Proxy(target, { get: (t, k) => (k in overrides ? overrides[k] : typeof t[k] === 'function' ? t[k].bind(t) : t[k]) });
exports.createAdapter = async (options) => {
  const adapter = await reference.createAdapter(options);
  return wrap(adapter, {
    name: 'mutant: queues always empty',
    beginScenario: async () => {
      const buses = await adapter.beginScenario();
      const bus = buses.bus;
      return wrap(buses, { bus: wrap(bus, { open: async (mode) => wrap(await bus.open(mode), { nextMsg: async () => 0 }) }) });
    },
  });
};
`;

let dir: string;
let features: string;
let mutant: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-cli-test-'));
  features = path.join(dir, 'fixture.feature');
  fs.writeFileSync(features, FEATURE);
  mutant = path.join(dir, 'mutant.js');
  fs.writeFileSync(mutant, MUTANT);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function envelope(reports = 'reports'): ResultEnvelope {
  return JSON.parse(fs.readFileSync(path.join(dir, reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
}

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('kbus-conformance exit codes', () => {
  it('exits 0 on the reference, with the summary and the reports', () => {
    const r = cli('--quiet', features);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^fixture\s+2\s+0\s+0\s+1\s+0\s+0$/m);
    assert.match(r.stdout, /skipped 1: the reference adapter does not provide time-travel/);
    assert.match(r.stdout, /^CONFORMING: reference: 2 passed, 1 skipped; selection: 3 of 3 scenarios \(fixture\.feature\)$/m);
    for (const f of ['junit.xml', 'cucumber.html', 'cucumber.ndjson', ENVELOPE_FILE]) assert.ok(fs.existsSync(path.join(dir, 'reports', f)), f);
    const env = fs.readFileSync(path.join(dir, 'reports', 'allure-results', 'environment.properties'), 'utf8');
    assert.match(env, /^verdict=CONFORMING\nimplementation=reference\nselection=3 of 3 scenarios \(fixture\.feature\)\nadapter=reference$/m);
    assert.doesNotMatch(env, /^(device|kernel\\ release)=/m, 'an in-process run has no device and no kernel');
    assert.match(env, /^suite\\ version=\d+\.\d+\.\d+/m);
    assert.match(env, /^node\\ version=v\d+/m);
    assert.ok(fs.existsSync(path.join(dir, 'reports', 'allure-results', 'categories.json')));
  });

  it('exits 2 with one line naming the path for a device that does not exist', () => {
    const r = cli('--device', '/nonexistent');
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /\/nonexistent/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 with one line for an unknown option', () => {
    const r = cli('--colour');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'kbus-conformance: unknown option --colour (see --help)\n');
  });

  it('exits 2 for an adapter module that does not exist, or an area the suite lacks', () => {
    assert.equal(cli('--adapter', './no-such-adapter.js', features).code, 2);
    const r = cli('--area', 'nmes', features);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--area nmes matches no area \(areas: fixture\)/);
  });

  it('exits 1 when a tag expression selects no scenario', () => {
    const r = cli('--tags', '@NO-SUCH-TAG', features);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no scenario selected by "@NO-SUCH-TAG"/);
  });

  it('an empty selection after a conforming run leaves no report of that earlier run', () => {
    assert.equal(cli('--quiet', features).code, 0);
    assert.equal(envelope().verdict, 'conforming');
    assert.equal(cli('--tags', '@NO-SUCH-TAG', features).code, 1);
    for (const f of [ENVELOPE_FILE, 'junit.xml', 'cucumber.html', 'allure-results/environment.properties']) {
      assert.ok(!fs.existsSync(path.join(dir, 'reports', f)), `${f} of the earlier run is still there`);
    }
  });

  it("a custom adapter's metadata is its own: its name, its file, its describe(); no device or kernel it lacks", () => {
    const custom = writeFile(
      'custom-adapter.js',
      `const reference = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'adapters', 'reference'))});
exports.createAdapter = async (options) => {
  const adapter = await reference.createAdapter(options);
  return new Proxy(adapter, { get: (t, k) => k === 'name' ? 'acme bus 2.1' : k === 'describe' ? async () => ({ firmware: '2.1.7' }) : typeof t[k] === 'function' ? t[k].bind(t) : t[k] });
};
`,
    );
    assert.equal(cli('--quiet', '--adapter', custom, features).code, 0);
    const env = fs.readFileSync(path.join(dir, 'reports', 'allure-results', 'environment.properties'), 'utf8');
    assert.match(env, /^implementation=acme bus 2\.1$/m);
    assert.match(env, /^adapter=custom-adapter\.js$/m);
    assert.match(env, /^firmware=2\.1\.7$/m);
    assert.doesNotMatch(env, /^(device|kernel\\ release)=/m);
    assert.doesNotMatch(env, /in-process reference/);
  });

  it('exits 1 when every selected scenario was skipped', () => {
    const r = cli('--quiet', '--tags', '@needs:time-travel', features);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /NOTHING TESTED/);
    assert.equal(envelope().verdict, 'no-scenario-ran');
  });

  it('exits 1 against a mutant, and the Allure results carry the failure with its message trace', () => {
    const r = cli('--quiet', '--adapter', mutant, features);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /failed\s+fixture: fixture: an announcement reaches its listener/);
    const junit = fs.readFileSync(path.join(dir, 'reports', 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite name="fixture" tests="3" failures="1" errors="0" skipped="1"/);
    const results = path.join(dir, 'reports', 'allure-results');
    type AllureResult = { name: string; status: string; labels: { name: string; value: string }[]; attachments: { name: string; source: string }[] };
    const failed = fs
      .readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(results, f), 'utf8')) as AllureResult)
      .find((t) => t.name === 'fixture: an announcement reaches its listener');
    assert.equal(failed?.status, 'failed');
    assert.deepEqual(
      failed.labels.filter((l) => l.name === 'epic' || l.name === 'story').map((l) => l.value),
      ['fixture', 'announcements'],
    );
    const attachment = failed.attachments.find((a) => a.name === 'message trace');
    assert.ok(attachment, 'the failed scenario carries its message trace');
    const trace = fs.readFileSync(path.join(results, attachment.source), 'utf8');
    assert.match(trace, /bob\s+BIND listener \$\.Fred\s+alice\s+sent, given id \[0:\d+\]\s+name \$\.Fred[\s\S]*bob\s+NEXTMSG: queue empty/);
  });
});

describe('the result envelope', () => {
  it('names the implementation, the suite and a verdict per requirement', () => {
    assert.equal(cli('--quiet', '--reports', 'out', features).code, 0);
    const e = envelope('out');
    assert.equal(e.format, 'kbus-conformance-result/1');
    assert.equal(e.suite.name, 'kbus-conformance');
    assert.ok(e.specRevision.length > 0);
    assert.equal(e.implementation.adapter, 'reference');
    assert.equal(e.implementation.kernelRelease, undefined, 'an in-process run has no kernel');
    assert.ok(e.implementation.capabilities.includes('proc-reports'));
    assert.equal(e.verdict, 'conforming');
    assert.equal(e.requirements['NAME-06']?.verdict, 'passed');
    assert.equal(e.requirements['BC-01']?.verdict, 'passed');
    assert.equal(e.requirements['LAY-04']?.verdict, 'skipped');
    assert.equal(e.requirements['NAME-01']?.verdict, 'no-scenario');
  });
});

describe('known deviations', () => {
  it('an expected failure does not fail the run', () => {
    const list = writeFile('deviations.txt', '# the mutant loses messages\nBC-01\n');
    const r = cli('--quiet', '--adapter', mutant, '--known-deviations', list, features);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 failed as expected/);
    const junit = fs.readFileSync(path.join(dir, 'reports', 'junit.xml'), 'utf8');
    assert.match(junit, /failures="0" errors="0" skipped="2"/, 'CI sees no failure either');
    assert.match(junit, /<skipped message="known deviation BC-01: /);
    assert.equal(envelope().requirements['BC-01']?.verdict, 'expected-failure');
    const results = path.join(dir, 'reports', 'allure-results');
    const marked = fs
      .readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => fs.readFileSync(path.join(results, f), 'utf8'))
      .filter((t) => t.includes('"message":"Known deviation (BC-01): AssertionError'));
    assert.equal(marked.length, 1, 'Allure files the expected failure under known deviations');
    assert.equal((JSON.parse(marked[0]!) as { status: string }).status, 'skipped', 'not red like a defect');
  });

  it('an unexpected pass is reported and fails the run', () => {
    const list = writeFile('deviations.txt', 'fixture: a one-word name can be bound  # by name\n');
    const r = cli('--quiet', '--known-deviations', list, features);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /unexpected-pass fixture: fixture: a one-word name can be bound/);
    assert.match(r.stdout, /the deviation is gone; remove line 1 \("fixture: a one-word name can be bound"\) from deviations\.txt/);
    assert.equal(envelope().requirements['NAME-06']?.verdict, 'unexpected-pass');
  });

  it('a missing file or an unknown behaviour id is a usage error', () => {
    assert.match(cli('--known-deviations', 'nope.txt', features).stderr, /known deviations .*nope\.txt: no such file\n$/);
    const list = writeFile('deviations.txt', 'BC-01\nSYN-99\n');
    const r = cli('--known-deviations', list, features);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /deviations\.txt:2: SYN-99 is not a behaviour id of the suite/);
  });
});

describe('--dry-run', () => {
  it('lists the selected scenarios by area and runs nothing', () => {
    const r = cli('--dry-run', '--tags', '@core', features);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^fixture \(2\)$/m);
    assert.match(r.stdout, /fixture: an announcement reaches its listener {2}\[BC-01\]/);
    assert.match(r.stdout, /^2 scenarios would run$/m);
  });
});
