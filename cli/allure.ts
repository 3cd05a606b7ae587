/**
 * Allure: the labels, environment and categories the results carry, the marking of known
 * deviations, and building the HTML report with Allure 3 (pure JavaScript, no Java). The
 * results stay in the Allure 2 format, so `allure-commandline` 2 can read them too.
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './exit-codes';
import type { Implementation } from './implementation';
import PlainFileWriter = require('./allure-writer');
import type { ScenarioResult } from './outcomes';
import { SUITE_NAME, SUITE_VERSION } from './package';

export const ALLURE_RESULTS = 'allure-results';
export const ALLURE_REPORT = 'allure-report';

/** Feature tags become the areas (epics); `@spec:` tags the spec sections (stories). */
export const ALLURE_LABELS = [
  { pattern: [/^@area:/], name: 'epic' },
  { pattern: [/^@spec:/], name: 'story' },
];

const KNOWN_DEVIATION = 'Known deviation';
const UNEXPECTED_PASS = 'Unexpected pass';
const NOT_RUN = 'Not run';

/** Ordered: Allure 3 puts a result in the first category that matches. */
export const CATEGORIES = [
  {
    name: 'Known deviations (expected to fail)',
    matchedStatuses: ['failed', 'broken'],
    messageRegex: `^${KNOWN_DEVIATION}[\\s\\S]*`,
  },
  {
    name: 'Unexpected passes (remove from the known deviations)',
    matchedStatuses: ['failed'],
    messageRegex: `^${UNEXPECTED_PASS}[\\s\\S]*`,
  },
  { name: 'Implementation defects', matchedStatuses: ['failed'], messageRegex: `^(?!${KNOWN_DEVIATION}|${UNEXPECTED_PASS})[\\s\\S]*` },
  { name: 'Adapter or suite faults', matchedStatuses: ['broken'], messageRegex: `^(?!${KNOWN_DEVIATION})[\\s\\S]*` },
  { name: 'Not run: the run was stopped', matchedStatuses: ['skipped'], messageRegex: `^${NOT_RUN}[\\s\\S]*` },
  { name: 'Skipped: capability not provided', matchedStatuses: ['skipped'] },
];

export function environmentInfo(impl: Implementation): Record<string, string> {
  return {
    adapter: impl.adapter === 'reference' || impl.adapter === 'kernel' ? impl.adapter : `${impl.name} (${impl.adapter})`,
    device: impl.device ?? '(none: in-process reference)',
    'kernel release': impl.kernelRelease,
    'node version': process.version,
    'suite version': SUITE_VERSION,
    capabilities: impl.capabilities.join(', ') || '(none)',
  };
}

/** Options for the Allure formatter: where results go, environment.properties, categories.json. */
export function allureFormatOptions(resultsDir: string, impl: Implementation): Record<string, unknown> {
  return {
    resultsDir,
    writer: [path.join(__dirname, 'allure-writer.js'), { resultsDir }],
    environmentInfo: environmentInfo(impl),
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
 * categories above can tell them from new defects; levels become severities.
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
    const scenario = results.find(
      (r) => r.deviation !== undefined && r.outcome !== 'skipped' && test.fullName?.endsWith(`${path.basename(r.uri)}#${r.name}`),
    );
    if (scenario) markDeviation(test, scenario);
    fs.writeFileSync(path.join(resultsDir, `${test.uuid}-result.json`), JSON.stringify(withSeverity(test)));
  }
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

function markDeviation(result: AllureResult, scenario: ScenarioResult): void {
  const before = result.statusDetails?.message ?? '';
  if (scenario.outcome === 'expected-failure') {
    result.statusDetails = { ...result.statusDetails, message: `${KNOWN_DEVIATION} (${scenario.deviation}): ${before}` };
  } else {
    result.status = 'failed';
    result.statusDetails = { ...result.statusDetails, message: `${UNEXPECTED_PASS}: ${scenario.message}` };
  }
  result.labels.push({ name: 'tag', value: 'known-deviation' });
}

/** Builds DIR/allure-report from DIR/allure-results with the Allure 3 command line. */
export async function generateReport(reportsDir: string): Promise<string> {
  const results = path.join(reportsDir, ALLURE_RESULTS);
  if (!fs.existsSync(results)) {
    throw new UsageError(`no Allure results in ${results}: run kbus-conformance first (or pass --reports DIR)`);
  }
  const output = path.join(reportsDir, ALLURE_REPORT);
  // A previous report left in place makes Allure 3 write the new one into a subfolder.
  fs.rmSync(output, { recursive: true, force: true });
  const config = path.join(reportsDir, 'allurerc.json');
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        name: 'KBUS conformance',
        output,
        categories: CATEGORIES,
        plugins: { awesome: { options: { reportName: 'KBUS conformance', groupBy: ['epic', 'feature', 'story'] } } },
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
