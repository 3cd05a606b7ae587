/**
 * JUnit XML for CI, written from the suite's own verdicts rather than cucumber's, so that CI
 * agrees with the exit code: one test suite per area; a failed scenario is a <failure>, a broken
 * one an <error>; an expected failure, or a scenario a known deviation says not to run, is
 * <skipped> with its known deviation, and an unexpected pass is a <failure>.
 */

import { firstLine, groupBy, type ScenarioResult } from './outcomes';
import { countOutcomes } from './summary';
import { displayPath, SUITE_NAME } from './package';

export function junitXml(results: readonly ScenarioResult[]): string {
  const suites = [...groupBy(results, (r) => r.area)].map(([area, rs]) => testSuite(area, rs));
  const totals = counts(results);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE_NAME}" ${attributes(totals)}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testSuite(area: string, results: ScenarioResult[]): string {
  return [
    `  <testsuite name="${escape(area)}" ${attributes(counts(results))}>`,
    ...results.map(testCase),
    '  </testsuite>',
  ].join('\n');
}

function testCase(r: ScenarioResult): string {
  const open = `    <testcase classname="${escape(`${SUITE_NAME}.${r.area}`)}" name="${escape(r.name)}" file="${escape(displayPath(r.file))}" line="${r.line}" time="${r.seconds.toFixed(3)}"`;
  const body = verdict(r);
  return body ? `${open}>\n      ${body}\n    </testcase>` : `${open}/>`;
}

function verdict(r: ScenarioResult): string | undefined {
  const summary = firstLine(r.message ?? '');
  switch (r.outcome) {
    case 'passed':
      return undefined;
    case 'failed':
      return `<failure type="implementation defect" message="${escape(summary)}">${cdata(r.message ?? '')}</failure>`;
    case 'broken':
      return `<error type="adapter or suite fault" message="${escape(summary)}">${cdata(r.message ?? '')}</error>`;
    case 'skipped':
      return `<skipped message="${escape(r.skipReason ?? 'skipped')}"/>`;
    case 'expected-failure':
      return `<skipped message="${escape(`known deviation ${r.deviation}: ${summary}`)}"/>`;
    case 'unexpected-pass':
      return `<failure type="unexpected pass" message="${escape(summary)}"/>`;
    case 'not-run':
      return `<skipped message="${escape(`not run${r.deviation ? ` (known deviation ${r.deviation})` : ''}: ${summary}`)}"/>`;
  }
}

function counts(results: readonly ScenarioResult[]) {
  const n = countOutcomes(results);
  return {
    tests: results.length,
    failures: n.failed + n['unexpected-pass'],
    errors: n.broken,
    skipped: n.skipped + n['expected-failure'] + n['not-run'],
    time: results.reduce((sum, r) => sum + r.seconds, 0).toFixed(3),
  };
}

function attributes(c: ReturnType<typeof counts>): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${c.time}"`;
}

function escape(text: string): string {
  return stripInvalid(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${stripInvalid(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** XML 1.0 cannot carry most control characters, which an error message about raw bytes may hold. */
function stripInvalid(text: string): string {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '\ufffd');
}
