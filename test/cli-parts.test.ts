/**
 * The CLI's pure parts, without running cucumber: command-line parsing, area selection,
 * requirement verdicts, the summary table and the JUnit XML.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { requirementVerdicts } from '../cli/envelope';
import { UsageError } from '../cli/exit-codes';
import { junitXml } from '../cli/junit';
import { HELP, parseCommandLine, REPORT_HELP, RunOptions } from '../cli/options';
import { SERVE_HELP } from '../fuse/main';
import type { Outcome, Scenario, ScenarioResult } from '../cli/outcomes';
import { areaExpression, tagExpression } from '../cli/selection';
import { skipHints } from '../cli/skip-hints';
import { unfinishedResults } from '../cli/stopped-run';
import { skipReasons, summaryTable } from '../cli/summary';

function result(name: string, area: string, ids: string[], outcome: Outcome, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return { pickleId: name, name, uri: `features/${area}.feature`, file: `/x/features/${area}.feature`, line: 1, area, ids, tags: [], outcome, seconds: 0.001, ...extra };
}

describe('command line', () => {
  it('each command has its own --help, which gives the defaults', () => {
    assert.deepEqual(parseCommandLine(['report', '--help']), { command: 'help', text: REPORT_HELP });
    assert.match(REPORT_HELP, /--reports DIR .*\(default \.\/reports\)/);
    assert.deepEqual(parseCommandLine(['-h']), { command: 'help', text: HELP });
    assert.match(SERVE_HELP, /--devices N .*\(default 1\b/);
    assert.match(SERVE_HELP, /--max-message-size BYTES[\s\S]*\(default 409600\b/);
  });

  it('--device alone means the kernel adapter, and paths are made absolute', () => {
    const o = parseCommandLine(['--device', '/dev/kbus3', '-f', 'json:out/c.json', 'my.feature'], '/home/u') as RunOptions;
    assert.equal(o.adapter, 'kernel');
    assert.equal(o.device, '/dev/kbus3');
    assert.deepEqual(o.formats, [['json', '/home/u/out/c.json']]);
    assert.deepEqual(o.paths, ['/home/u/my.feature']);
    assert.equal(o.reportsDir, '/home/u/reports');
  });

  it('adapter options are JSON where they can be, strings otherwise', () => {
    const o = parseCommandLine(['--adapter-option', 'absoluteMaxMessageSize=65536', '--adapter-option', 'secondDevice=/dev/kbus1'], '/') as RunOptions;
    assert.deepEqual(o.adapterOptions, { absoluteMaxMessageSize: 65536, secondDevice: '/dev/kbus1' });
  });

  it('a device given to the reference adapter is a usage error', () => {
    assert.throws(() => parseCommandLine(['--adapter', 'reference', '--device', '/dev/kbus0']), UsageError);
  });
});

describe('--area', () => {
  const areas = ['names', 'wildcards', 'message-ids', 'message-layout'];

  it('matches names and wildcards against the areas the suite has', () => {
    assert.equal(areaExpression(['names', 'message-*'], areas), '@area:names or @area:message-ids or @area:message-layout');
  });

  it('refuses a pattern that matches no area, listing the areas', () => {
    assert.throws(() => areaExpression(['nmes'], areas), /--area nmes matches no area \(areas: message-ids, message-layout, names, wildcards\)/);
  });

  it('combines with --tags so that both must hold', () => {
    assert.equal(tagExpression('@core', '@area:names or @area:wildcards'), '(@core) and (@area:names or @area:wildcards)');
    assert.equal(tagExpression(undefined, undefined), '');
  });
});

describe('requirement verdicts', () => {
  it('a requirement takes its worst scenario outcome; skipped only when all were skipped', () => {
    const v = requirementVerdicts(
      [
        result('a', 'names', ['NAME-01'], 'passed'),
        result('b', 'names', ['NAME-01'], 'failed'),
        result('c', 'names', ['NAME-02'], 'passed'),
        result('d', 'names', ['NAME-02'], 'skipped'),
        result('e', 'names', ['NAME-03'], 'skipped'),
        result('f', 'names', ['NAME-04'], 'expected-failure', { deviation: 'NAME-04' }),
      ],
      [result('g', 'names', ['NAME-05'], 'passed')],
    );
    assert.equal(v['NAME-01']?.verdict, 'failed');
    assert.equal(v['NAME-02']?.verdict, 'passed');
    assert.equal(v['NAME-03']?.verdict, 'skipped');
    assert.equal(v['NAME-04']?.verdict, 'expected-failure');
    assert.equal(v['NAME-05']?.verdict, 'not-run');
    assert.equal(v['NAME-06']?.verdict, 'no-scenario');
  });
});

describe('reports', () => {
  const results = [
    result('binds', 'names', [], 'passed'),
    result('refuses <bad> & "odd"', 'names', [], 'failed', { message: 'expected EBADMSG\nmore' }),
    result('crashes', 'wildcards', [], 'broken', { message: 'SetupError: setup failed' }),
    result('needs proc', 'wildcards', [], 'skipped', { skipReason: 'no proc-reports' }),
    result('after the stall', 'wildcards', [], 'not-run', { message: 'the device stopped answering in "crashes"' }),
  ];

  it('the summary table has a row per area and a total', () => {
    const lines = summaryTable(results).split('\n');
    assert.match(lines[0]!, /^area\s+passed\s+failed\s+broken\s+skipped\s+expected-failed\s+unexpected-pass\s+not-run$/);
    assert.match(lines[1]!, /^names\s+1\s+1\s+0\s+0\s+0\s+0\s+0$/);
    assert.match(lines[2]!, /^wildcards\s+0\s+0\s+1\s+1\s+0\s+0\s+1$/);
    assert.match(lines[4]!, /^total\s+1\s+1\s+1\s+1\s+0\s+0\s+1$/);
  });

  it('skips and scenarios not run are listed by reason', () => {
    assert.deepEqual(skipReasons(results), ['skipped 1: no proc-reports', 'not run 1: the device stopped answering in "crashes"']);
  });

  it('JUnit XML escapes names and tells failures from errors', () => {
    const xml = junitXml(results);
    assert.match(xml, /<testsuites name="kbus-conformance" tests="5" failures="1" errors="1" skipped="2"/);
    assert.match(xml, /name="refuses &lt;bad&gt; &amp; &quot;odd&quot;"/);
    assert.match(xml, /<failure type="implementation defect" message="expected EBADMSG"><!\[CDATA\[expected EBADMSG\nmore\]\]><\/failure>/);
    assert.match(xml, /<error type="adapter or suite fault"/);
    assert.match(xml, /<skipped message="no proc-reports"\/>/);
    assert.match(xml, /<skipped message="not run: the device stopped answering in &quot;crashes&quot;"\/>/);
  });
});

describe('a run the device stopped', () => {
  const scenario = (name: string, line: number): Scenario => ({ pickleId: name, name, uri: 'features/x.feature', file: '/x/features/x.feature', line, area: 'x', ids: [], tags: [] });
  const selected = [scenario('first', 1), scenario('stalls', 2), scenario('third', 3)];

  it('breaks the scenario that met the stall and reports the unfinished others as not run', () => {
    const finished = [{ ...selected[0]!, pickleId: 'another id in the real run', outcome: 'passed' as const, seconds: 0 }];
    const stall = { scenario: 'stalls', operation: 'NEXTMSG on "bob"', timeoutMs: 5000 };
    assert.deepEqual(
      unfinishedResults(stall, selected, finished).map((r) => [r.name, r.outcome, r.message]),
      [
        ['stalls', 'broken', 'the device stopped answering: NEXTMSG on "bob" did not answer within 5000 ms in scenario "stalls"; the run was stopped'],
        ['third', 'not-run', 'the device stopped answering in "stalls"'],
      ],
    );
  });
});

describe('skip hints', () => {
  it("say how to provide what the kernel adapter lacked, once each, and only the kernel adapter's options for it", () => {
    const reasons = [
      'skipped 10: the kernel /run/kbus/kbus0 adapter does not provide second-bus',
      'skipped 1: the kernel /run/kbus/kbus0 adapter does not provide proc-reports, second-bus',
      "skipped 2: a 2148-byte message exceeds this device's absolute MAXMSGSIZE of 1024",
    ];
    const hints = skipHints(reasons, 'kernel');
    assert.equal(hints.length, 3, hints.join('\n'));
    assert.match(hints.join('\n'), /secondDevice=[\s\S]*procBindings=[\s\S]*--max-message-size 409600/);
    assert.deepEqual(skipHints(reasons, '/home/u/my-adapter.js').length, 1);
  });
});
