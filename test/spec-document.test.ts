/**
 * `kbus-conformance spec` as a reviewer uses it: two runs (the reference, and a mutant that
 * ignores URGENT) on the urgent area, their envelopes rendered into the specification, the
 * HTML opened in headless Chromium: it renders, every link inside it lands on an element, and
 * the rule the mutant breaks shows failed in the mutant's column only.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../cli/package';
import { ENVELOPE_FILE } from '../cli/reports';
import { SPEC_FILES } from '../cli/spec/command';
import { readSpecification } from '../cli/spec/features';
import { renderHtml } from '../cli/spec/html';
import { renderMarkdown } from '../cli/spec/markdown';
import { column } from '../cli/spec/verdicts';
import type { ResultEnvelope } from '../cli/envelope';
import { runCli } from './cli-run';

const CHROMIUM = '/usr/bin/chromium';
const MUTANT = path.join(PACKAGE_ROOT, 'dist', 'mutants', 'urgent-ignored.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-spec-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const at = (...parts: string[]) => path.join(scratch, ...parts);
const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
const links = (html: string) => [...html.matchAll(/\shref="#([^"]*)"/g)].map((m) => m[1]!);
/** The verdicts in the report table's row for a rule, one per implementation column. */
function reportRow(html: string, anchor: string): string[] {
  const report = html.slice(html.indexOf('id="report"'), html.indexOf('</table>', html.indexOf('id="report"')));
  const row = report.split('<tr').find((r) => r.includes(`href="#${anchor}"`));
  assert.ok(row, `no row for #${anchor} in the implementation report`);
  return [...row.matchAll(/class="v ([a-z-]+)"/g)].map((m) => m[1]!);
}

describe('kbus-conformance spec', () => {
  let html = '';
  let markdown = '';
  let stdout = '';

  before(async () => {
    const [reference, mutant] = await Promise.all([
      runCli(['--area', 'urgent', '--quiet', '--reports', at('reference')], { cwd: scratch }),
      runCli(['--area', 'urgent', '--quiet', '--adapter', MUTANT, '--reports', at('mutant')], { cwd: scratch }),
    ]);
    assert.equal(reference.code, 0, reference.stdout + reference.stderr);
    assert.equal(mutant.code, 1, mutant.stdout + mutant.stderr);
    const spec = await runCli(['spec', '--results', at('reference', ENVELOPE_FILE), at('mutant', ENVELOPE_FILE), '--out', at('spec')], { cwd: scratch });
    assert.equal(spec.code, 0, spec.stdout + spec.stderr);
    stdout = spec.stdout;
    html = fs.readFileSync(at('spec', SPEC_FILES.html), 'utf8');
    markdown = fs.readFileSync(at('spec', SPEC_FILES.markdown), 'utf8');
  });

  it('names both files and both implementations', () => {
    assert.match(stdout, /specification\.html/);
    assert.match(stdout, /verdicts of reference \(conforming\), mutant UrgentIgnored \(not-conforming\)/);
  });

  it('writes HTML that needs nothing else: no script, no outside resources', () => {
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(/i);
  });

  it('puts every rule of every area in the document, the report and the Markdown', () => {
    const rules = readSpecification(PACKAGE_ROOT).flatMap((a) => a.rules);
    assert.ok(rules.length > 100, `only ${rules.length} rules`);
    const anchors = ids(html);
    for (const r of rules) {
      assert.ok(anchors.has(r.anchor), `no element #${r.anchor}`);
      assert.equal(reportRow(html, r.anchor).length, 2, `#${r.anchor}: not two verdicts`);
      assert.ok(markdown.includes(`<a id="${r.anchor}"></a>`), `Markdown lacks #${r.anchor}`);
    }
  });

  it('shows the rule the mutant breaks failed in its column, passed in the reference', () => {
    assert.deepEqual(reportRow(html, 'rule-URG-01'), ['passed', 'failed']);
    assert.deepEqual(reportRow(html, 'rule-NAME-01'), ['not-run', 'not-run']);
    assert.match(markdown, /\| urgent \| \[URG-01\]\(#rule-URG-01\) An URGENT message [^|]* \| passed \| \*\*failed\*\* \|/);
  });

  it('lists the original module known deviations with their reasons', () => {
    const section = html.slice(html.indexOf('id="deviations"'));
    assert.match(section, /<code>SYN-12<\/code> <a href="#rule-SYN-12">/);
    assert.match(section, /the specification promises every request an answer/);
  });

  it('renders in headless Chromium, every link landing on an element', (t) => {
    if (!fs.existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is not installed (Debian's chromium package): the rendering is not checked`);
    const profile = fs.mkdtempSync(at('chromium-'));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
    const run = spawnSync(CHROMIUM, [...flags, `--user-data-dir=${profile}`, '--dump-dom', `file://${at('spec', SPEC_FILES.html)}`], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.status, 0, `chromium: ${run.error?.message ?? run.stderr}`);
    const dom = run.stdout;
    assert.match(dom, /<h1>The KBUS specification<\/h1>/);
    const anchors = ids(dom);
    const hrefs = links(dom);
    assert.ok(hrefs.length > 400, `only ${hrefs.length} links`);
    const dangling = [...new Set(hrefs.filter((h) => !anchors.has(h)))];
    assert.deepEqual(dangling, [], `links to no element: ${dangling.slice(0, 5).join(', ')}`);
    assert.deepEqual(reportRow(dom, 'rule-URG-01'), ['passed', 'failed']);
  });

  it('refuses a results file that is not an envelope, in one line, exit 2', async () => {
    fs.writeFileSync(at('not-an-envelope.json'), '{"format": "something else"}');
    for (const file of [at('not-an-envelope.json'), at('missing.json')]) {
      const run = await runCli(['spec', '--results', file, '--out', at('refused')], { cwd: scratch });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^kbus-conformance: results .*: (not a result envelope|no such file)/);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });
});

it('renders Rules as written: statement, Background and examples with their outline rows', () => {
  const areas = readSpecification(PACKAGE_ROOT, path.join(PACKAGE_ROOT, 'test', 'fixtures', 'rules', 'kept'));
  const doc = { title: 'fixture', subtitle: 'fixture', areas, columns: [], deviations: [], deviationsFile: 'none' };
  const html = renderHtml(doc);
  assert.match(html, /<section class="rule" id="rule-URG-01">\n<h3><a href="#rule-URG-01">An urgent message goes to the front of each recipient's queue<\/a><\/h3>/);
  assert.match(html, /<p class="statement">It is the next one read, ahead of everything already waiting.<\/p>/);
  assert.match(html, /Background:\n  Given &quot;alice&quot; listens to &quot;\$.Sensors.\*&quot;/);
  assert.match(renderMarkdown(doc), /```gherkin\nScenario Outline: An urgent <kind> is read first\n[^`]*\n  Examples:\n    \| kind  \| name            \|\n    \| alarm \| \$.Sensors.Alarm \|/);
  const [rule] = areas[0]!.rules;
  assert.deepEqual(rule!.examples[1]!.runs.map((r) => r.name), ['An urgent alarm is read first', 'An urgent flood is read first']);
});

it('gives each rule its worst example\'s verdict, and says why', () => {
  const [first, second] = readSpecification(PACKAGE_ROOT, path.join(PACKAGE_ROOT, 'test', 'fixtures', 'rules', 'kept'))[0]!.rules;
  const ran = (name: string, outcome: string, more: object = {}) => ({ name, outcome, ...more });
  const envelope = (...scenarios: object[]) => ({ implementation: { name: 'board' }, scenarios }) as unknown as ResultEnvelope;
  const cells = (e: ResultEnvelope) => [first!, second!].map((r) => column('x.json', e).cell(r));

  assert.deepEqual(cells(envelope(ran('An urgent alarm is read first', 'passed'), ran('An urgent flood is read first', 'skipped', { skipReason: 'needs pointy-messages' }))), [
    { verdict: 'passed', detail: '1 of 2 skipped: needs pointy-messages' },
    { verdict: 'not-run' },
  ]);
  assert.deepEqual(
    cells(
      envelope(
        ran('An urgent alarm is read first', 'passed'),
        ran('An urgent message overtakes an announcement already waiting', 'failed', { message: 'expected Alarm\nfirst' }),
        ran('Two urgent messages are read newest first', 'expected-failure', { deviation: 'URG-02' }),
      ),
    ),
    [
      { verdict: 'failed', detail: 'An urgent message overtakes an announcement already waiting: expected Alarm' },
      { verdict: 'known-deviation', detail: 'listed as URG-02' },
    ],
  );
  assert.deepEqual(cells(envelope(ran('Two urgent messages are read newest first', 'skipped', { skipReason: 'needs second-bus' })))[1], {
    verdict: 'skipped',
    detail: 'needs second-bus',
  });
});
