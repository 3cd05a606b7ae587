/**
 * Allure: the labels, environment and categories the results carry, the marking of known
 * deviations, and building the HTML report with Allure 3 (pure JavaScript, no Java). The
 * results stay in the Allure 2 format, so `allure-commandline` 2 can read them too.
 */

import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './exit-codes';
import type { Implementation } from './implementation';
import PlainFileWriter = require('./allure-writer');
import type { ScenarioResult } from './outcomes';
import { displayPath, SUITE_NAME, SUITE_VERSION } from './package';
import { VERDICT_HEADLINE, type RunVerdict } from './summary';

export const ALLURE_RESULTS = 'allure-results';
export const ALLURE_REPORT = 'allure-report';
export const ALLURE_CONFIG = 'allurerc.json';
const REPORT_NAME = 'KBUS conformance';

/** Feature tags become the areas (epics); `@spec:` tags the spec sections (stories). */
export const ALLURE_LABELS = [
  { pattern: [/^@area:/], name: 'epic' },
  { pattern: [/^@spec:/], name: 'story' },
];

const KNOWN_DEVIATION = 'Known deviation';
const UNEXPECTED_PASS = 'Unexpected pass';
const NOT_RUN = 'Not run';

/**
 * Ordered: Allure 3 puts a result in the first category that matches. Known deviations are
 * skipped results (they do not fail the run), so they are not shown red like defects.
 */
export const CATEGORIES = [
  {
    name: 'Known deviations (expected to fail)',
    matchedStatuses: ['skipped'],
    messageRegex: `^${KNOWN_DEVIATION}[\\s\\S]*`,
  },
  {
    name: 'Unexpected passes (remove from the known deviations)',
    matchedStatuses: ['failed'],
    messageRegex: `^${UNEXPECTED_PASS}[\\s\\S]*`,
  },
  { name: 'Implementation defects', matchedStatuses: ['failed'], messageRegex: `^(?!${UNEXPECTED_PASS})[\\s\\S]*` },
  { name: 'Adapter or suite faults', matchedStatuses: ['broken'] },
  {
    name: 'Not run (a known deviation: it would crash or wedge the implementation)',
    matchedStatuses: ['skipped'],
    messageRegex: `^${NOT_RUN} \\(known deviation[\\s\\S]*`,
  },
  { name: 'Not run: the run was stopped', matchedStatuses: ['skipped'], messageRegex: `^${NOT_RUN}:[\\s\\S]*` },
  { name: 'Skipped: capability not provided', matchedStatuses: ['skipped'] },
];

/** What the report's title and metadata say about a run. */
export interface RunHeadline {
  verdict: RunVerdict;
  implementation: Implementation;
  selection: string;
  knownDeviations?: string;
}

/** `KBUS conformance: NOT CONFORMING: kernel /dev/kbus0, 71 of 450 scenarios (--area names)`. */
export function reportTitle(run: RunHeadline): string {
  return `${REPORT_NAME}: ${VERDICT_HEADLINE[run.verdict]}: ${run.implementation.name}, ${run.selection}`;
}

/**
 * The report's metadata, verdict first. Only what the implementation has: an in-process
 * adapter has no device and no kernel, and a custom adapter's describe() is shown as it is.
 */
export function environmentInfo(run: RunHeadline): Record<string, string> {
  const impl = run.implementation;
  const headline: Record<string, string> = {
    verdict: VERDICT_HEADLINE[run.verdict],
    implementation: impl.name,
    selection: run.selection,
    adapter: impl.adapter === 'reference' || impl.adapter === 'kernel' ? impl.adapter : shortPath(impl.adapter),
    ...(impl.device !== undefined ? { device: impl.device } : {}),
    ...(impl.kernelRelease !== undefined ? { 'kernel release': impl.kernelRelease } : {}),
  };
  const { device: _device, kernelRelease: _kernel, ...details } = impl.details;
  // The adapter's own words, under its own keys; one that a headline key already uses is marked as its.
  const described = Object.entries(details).map(([key, value]) => [key in headline ? `${key} (describe)` : key, value]);
  return {
    ...headline,
    ...Object.fromEntries(described),
    capabilities: impl.capabilities.join(', ') || '(none)',
    ...(run.knownDeviations ? { 'known deviations': shortPath(run.knownDeviations) } : {}),
    // A remote run's device is on the agent's machine: its kernel, and how it was reached.
    ...(impl.details.agent ? { agent: impl.details.agent, transport: impl.details.transport ?? '', 'pointer size': String(impl.pointerSize) } : {}),
    'node version': process.version,
    'suite version': SUITE_VERSION,
  };
}

/** Allure cuts long values short: a file is named from the current folder, or by its own name. */
function shortPath(file: string): string {
  const shown = displayPath(file);
  return path.isAbsolute(shown) ? path.basename(shown) : shown;
}

/** Writes the metadata once the verdict is known (the Allure formatter writes it at the start, without one). */
export function writeEnvironment(resultsDir: string, run: RunHeadline): void {
  PlainFileWriter.writeEnvironment(resultsDir, environmentInfo(run));
}

/** Options for the Allure formatter: where results go and categories.json. */
export function allureFormatOptions(resultsDir: string): Record<string, unknown> {
  return {
    resultsDir,
    writer: [path.join(__dirname, 'allure-writer.js'), { resultsDir }],
    categories: CATEGORIES,
  };
}

interface AllureAttachment {
  name: string;
  source: string;
  type: string;
}

interface AllureStep {
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  attachments: AllureAttachment[];
  steps?: AllureStep[];
}

interface AllureResult extends AllureStep {
  uuid: string;
  name: string;
  fullName?: string;
  titlePath?: string[];
  testCaseId?: string;
  historyId?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels: { name: string; value: string }[];
}

interface AllureContainer {
  uuid: string;
  children: string[];
  befores?: AllureStep[];
  afters?: AllureStep[];
}

/**
 * Final touches once the run is over: what hooks attached (the message trace of a failed
 * scenario, the reason for a skip) is moved onto the scenario itself, where Allure shows it
 * among the scenario's attachments rather than inside a collapsed set-up or tear-down; the
 * results the known deviations explain, or that passed against the list, are marked so the
 * categories above can tell them from new defects, and those not run say why; levels become
 * severities.
 */
export function finishAllureResults(resultsDir: string, results: readonly ScenarioResult[]): void {
  const held = PlainFileWriter.take(resultsDir);
  const tests = new Map(held.results.map((r) => [r.uuid, r as unknown as AllureResult]));
  for (const container of held.containers as unknown as AllureContainer[]) {
    const lifted = [...(container.befores ?? []), ...(container.afters ?? [])].flatMap(takeAttachments);
    for (const child of lifted.length > 0 ? container.children : []) tests.get(child)?.attachments.push(...lifted);
    // A hook that passed and attached nothing tells a reader nothing; a file each costs real time.
    const fixtures = [...(container.befores ?? []), ...(container.afters ?? [])];
    const faulty = fixtures.find((f) => f.status !== 'passed');
    if (!faulty) continue;
    // allure-cucumberjs leaves a scenario passed when only its hook failed: the scenario did not pass.
    for (const child of container.children) {
      const test = tests.get(child);
      if (test?.status === 'passed') Object.assign(test, { status: faulty.status, statusDetails: faulty.statusDetails });
    }
    fs.writeFileSync(path.join(resultsDir, `${container.uuid}-container.json`), JSON.stringify(container));
  }
  for (const test of tests.values()) {
    // allure-cucumberjs names a result `<feature path as it sees it>#<scenario name>`.
    const scenario = results.find((r) => r.deviation !== undefined && test.fullName?.endsWith(`${path.basename(r.uri)}#${r.name}`));
    if (scenario) markDeviation(test, scenario);
    fs.writeFileSync(path.join(resultsDir, `${test.uuid}-result.json`), JSON.stringify(withSeverity(asTheSuites(test))));
  }
}

/**
 * allure-cucumberjs names results after the project in the current folder, which is the
 * user's when the suite runs from node_modules (`my-app:features/names.feature#…`): the
 * scenarios are the suite's, and keep one id wherever it runs.
 */
function asTheSuites(result: AllureResult): AllureResult {
  const project = result.titlePath?.[0];
  if (project === undefined || project === SUITE_NAME || !result.fullName?.startsWith(`${project}:`)) return result;
  const fullName = `${SUITE_NAME}:${result.fullName.slice(project.length + 1)}`;
  const testCaseId = createHash('md5').update(fullName).digest('hex');
  const parameters = result.historyId?.split(':')[1];
  return {
    ...result,
    fullName,
    titlePath: [SUITE_NAME, ...result.titlePath!.slice(1)],
    testCaseId,
    ...(parameters !== undefined ? { historyId: `${testCaseId}:${parameters}` } : {}),
    labels: result.labels.map((l) => (l.name === 'package' && l.value.startsWith(`${project}.`) ? { ...l, value: `${SUITE_NAME}.${l.value.slice(project.length + 1)}` } : l)),
  };
}

/**
 * Results for scenarios cucumber did not finish because the run was stopped: the one that met
 * the stall (broken) and those not run, which no formatter wrote.
 */
export function writeUnfinishedResults(resultsDir: string, unfinished: readonly ScenarioResult[]): void {
  const now = Date.now();
  for (const r of unfinished) {
    const uuid = randomUUID();
    const result: AllureResult = {
      uuid,
      name: r.name,
      fullName: `${SUITE_NAME}:${r.uri}#${r.name}`,
      status: r.outcome === 'broken' ? 'broken' : 'skipped',
      statusDetails: { message: r.outcome === 'broken' ? r.message : `${NOT_RUN}: ${r.message}` },
      labels: [{ name: 'epic', value: r.area }, ...r.tags.map((value) => ({ name: 'tag', value }))],
      attachments: [],
    };
    const file = path.join(resultsDir, `${uuid}-result.json`);
    fs.writeFileSync(file, JSON.stringify({ ...withSeverity(result), stage: 'finished', start: now, stop: now, steps: [] }));
  }
}

/** The suite's levels as Allure severities, so the report can be filtered by them. */
const SEVERITY_OF_LEVEL: Record<string, string> = { '@core': 'critical', '@extended': 'normal', '@diagnostic': 'minor' };

function withSeverity(result: AllureResult): AllureResult {
  const level = result.labels.find((l) => l.name === 'tag' && l.value in SEVERITY_OF_LEVEL);
  if (level) result.labels.push({ name: 'severity', value: SEVERITY_OF_LEVEL[level.value]! });
  return result;
}

/** Removes and returns the attachments of a hook and of its steps. */
function takeAttachments(step: AllureStep): AllureAttachment[] {
  const own = step.attachments.splice(0);
  return [...own, ...(step.steps ?? []).flatMap(takeAttachments)];
}

/** A passing scenario of a listed behaviour id keeps its status; the tag alone says it is listed. */
function markDeviation(result: AllureResult, scenario: ScenarioResult): void {
  const before = result.statusDetails?.message ?? '';
  switch (scenario.outcome) {
    case 'expected-failure':
      result.status = 'skipped';
      result.statusDetails = { ...result.statusDetails, message: `${KNOWN_DEVIATION} (${scenario.deviation}): ${before}` };
      break;
    case 'unexpected-pass':
      result.status = 'failed';
      result.statusDetails = { ...result.statusDetails, message: `${UNEXPECTED_PASS}: ${scenario.message}` };
      break;
    case 'not-run':
      result.status = 'skipped';
      result.statusDetails = { message: `${NOT_RUN} (known deviation ${scenario.deviation}): ${scenario.message}` };
      break;
  }
  result.labels.push({ name: 'tag', value: 'known-deviation' });
}

/**
 * Builds DIR/allure-report from DIR/allure-results with the Allure 3 command line, as one
 * index.html that a browser opens from the file system; `title` heads it.
 */
export async function generateReport(reportsDir: string, title = REPORT_NAME): Promise<string> {
  const results = path.join(reportsDir, ALLURE_RESULTS);
  if (!fs.existsSync(results)) {
    throw new UsageError(`no Allure results in ${results}: run kbus-conformance first (or pass --reports DIR)`);
  }
  const output = path.join(reportsDir, ALLURE_REPORT);
  // A previous report left in place makes Allure 3 write the new one into a subfolder.
  fs.rmSync(output, { recursive: true, force: true });
  const config = path.join(reportsDir, ALLURE_CONFIG);
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        name: title,
        output,
        categories: CATEGORIES,
        plugins: { awesome: { options: { reportName: title, singleFile: true, groupBy: ['epic', 'story'] } } },
      },
      null,
      2,
    ),
  );
  const cli = path.join(path.dirname(require.resolve('allure')), '..', 'cli.js');
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'generate', results, '--config', config, '--output', output], {
      cwd: reportsDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`allure generate exited with ${code}`);
  return output;
}
