/**
 * `kbus-conformance explore`: random sessions played in lockstep on the reference and on the
 * implementation under test (explore/), progress while it looks, a summary, the first
 * difference shrunk and written as a scenario under reports/explore/, the result envelope and
 * an Allure result. Exit 0 no difference, 1 a difference, 2 usage error or no usable implementation.
 */

import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Adapter } from '../adapters/adapter';
import { abandonedCalls, bounded } from '../adapters/bounded';
import { exitNow } from '../adapters/kernel/libc';
import { loadAdapter } from '../adapters/load';
import { createAdapter as createReference } from '../adapters/reference';
import { ExploreDeviations } from '../explore/deviations';
import { Exploration, explore, Tally } from '../explore/explorer';
import { featureText } from '../explore/gherkin';
import { ALLURE_RESULTS, writeEnvironment } from './allure';
import { KnownDeviations, readKnownDeviations } from './deviations';
import { ENVELOPE_FORMAT } from './envelope';
import { EXIT, UsageError } from './exit-codes';
import { Implementation, probeImplementation } from './implementation';
import type { RunVerdict } from './summary';
import { describeParseError, parseAdapterOptions } from './options';
import { displayPath, SUITE_NAME, SUITE_VERSION } from './package';
import { requirements } from '../requirements';

export const EXPLORE_HELP = `Usage: ${SUITE_NAME} explore [options]

Plays random sessions (Ksocks opening and closing, binds with wildcards, every kind of
message and flag, whole and piecewise reads and writes, every ioctl, poll, small queue
limits) on the reference and on the implementation side by side, comparing every answer.
The first difference is shrunk to a minimal session and written as a scenario under
REPORTS/explore/ that passes on the reference and fails on the implementation.

Options:
  -a, --adapter NAME|PATH      reference (default), kernel, or your adapter module
  -d, --device PATH            the device, e.g. /dev/kbus0 (implies --adapter kernel)
      --adapter-option K=V     passed to the adapter (repeatable)
      --runs N                 at most N sessions (default: as many as the budget allows)
      --seed S                 the random seed (default: a new one, printed)
      --time-budget SECONDS    stop looking after this long (default 60); shrinking a
                               difference may take as long again
  -k, --known-deviations FILE  the implementation's known deviations: sessions that
                               would run into one that must not run are not played, and
                               a difference one of them explains is counted as known
  -r, --reports DIR            where reports go (default ./reports)
  -q, --quiet                  print only the summary
  -h, --help                   this text

Exit codes: 0 no difference; 1 a difference; 2 usage error or no usable implementation.`;

const OPTIONS = {
  adapter: { type: 'string', short: 'a' },
  device: { type: 'string', short: 'd' },
  'adapter-option': { type: 'string', multiple: true },
  runs: { type: 'string' },
  seed: { type: 'string' },
  'time-budget': { type: 'string' },
  'known-deviations': { type: 'string', short: 'k' },
  reports: { type: 'string', short: 'r' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEFAULT_BUDGET_SECONDS = 60;
export const EXPLORE_ENVELOPE = 'kbus-conformance-explore.json';
/** A session that shows no progress line for this long on a log gets one. */
const LOG_EVERY_MS = 5000;

export interface ExploreCommand {
  adapter: string;
  device?: string;
  adapterOptions: Record<string, unknown>;
  runs: number;
  seed: number;
  seedGiven: boolean;
  budgetSeconds: number;
  knownDeviations?: string;
  reportsDir: string;
  quiet: boolean;
}

export function parseExplore(argv: string[], cwd: string = process.cwd()): ExploreCommand | 'help' {
  let values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw new UsageError(describeParseError(e as NodeJS.ErrnoException));
  }
  if (values.help) return 'help';
  const device = values.device;
  if (device !== undefined && device.trim() === '') throw new UsageError('--device needs a path, e.g. /dev/kbus0');
  const adapter = values.adapter ?? (device !== undefined ? 'kernel' : 'reference');
  if (adapter === 'reference' && device !== undefined) throw new UsageError(`--device ${device} is for the kernel adapter or your own; the reference adapter has no device`);
  return {
    adapter: adapter === 'reference' || adapter === 'kernel' ? adapter : path.resolve(cwd, adapter),
    device: device && path.resolve(cwd, device),
    adapterOptions: parseAdapterOptions(values['adapter-option'] ?? []),
    runs: values.runs === undefined ? Number.MAX_SAFE_INTEGER : whole('--runs', values.runs, 1),
    seed: values.seed === undefined ? randomInt(2 ** 31) : whole('--seed', values.seed, 0),
    seedGiven: values.seed !== undefined,
    budgetSeconds: values['time-budget'] === undefined ? DEFAULT_BUDGET_SECONDS : seconds(values['time-budget']),
    knownDeviations: values['known-deviations'] && path.resolve(cwd, values['known-deviations']),
    reportsDir: path.resolve(cwd, values.reports ?? 'reports'),
    quiet: values.quiet ?? false,
  };
}

function whole(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} needs a whole number, ${min} or more (got "${text}")`);
  return Number(text);
}

function seconds(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new UsageError(`--time-budget needs a number of seconds above 0 (got "${text}")`);
  return Number(text);
}

export async function exploreCommand(argv: string[]): Promise<number> {
  const command = parseExplore(argv);
  if (command === 'help') {
    process.stdout.write(`${EXPLORE_HELP}\n`);
    return EXIT.CONFORMING;
  }
  const deviations = command.knownDeviations
    ? readKnownDeviations(command.knownDeviations, { scenarios: [], wholeSuite: false })
    : KnownDeviations.none();
  const implementation = await probeImplementation(command);
  const adapter = bounded(await loadAdapter(command.adapter, { ...command.adapterOptions, device: command.device }));
  try {
    const code = await exploreWith(command, implementation, adapter, new ExploreDeviations(deviations));
    // Node's exit would wait forever for a thread still stuck in the device.
    if (abandonedCalls() > 0) exitNow(code);
    return code;
  } finally {
    await adapter.dispose().catch(() => undefined);
  }
}

/** The reference, set up as the implementation is: same pointer size and message size limits. */
function referenceLike(implementation: Implementation): Adapter {
  return createReference({
    pointerSize: implementation.pointerSize as 4 | 8,
    absoluteMaxMessageSize: implementation.limits.absoluteMaxMessageSize,
    defaultMaxMessageSize: implementation.limits.defaultMaxMessageSize,
  });
}

async function exploreWith(command: ExploreCommand, implementation: Implementation, adapter: Adapter, deviations: ExploreDeviations): Promise<number> {
  const out = process.stdout;
  const tty = out.isTTY === true && !command.quiet;
  const started = new Date();
  if (!command.quiet) {
    out.write(`Exploring ${implementation.name} against the reference: seed ${command.seed}, budget ${command.budgetSeconds} s\n`);
    for (const entry of deviations.unrecognised) out.write(`  known deviation ${entry}: explore cannot tell which sessions run into it; its differences will be reported\n`);
  }
  let lastLine = Date.now();
  const progress = (t: Tally) => {
    if (command.quiet) return;
    if (tty) out.write(`\r\x1b[2K${tallyText(t)}`);
    else if (Date.now() - lastLine >= LOG_EVERY_MS) {
      lastLine = Date.now();
      out.write(`${tallyText(t)}\n`);
    }
  };
  let result: Exploration;
  try {
    result = await explore({
      reference: referenceLike(implementation),
      implementation: adapter,
      deviations,
      seed: command.seed,
      runs: command.runs,
      budgetMs: command.budgetSeconds * 1000,
      progress,
    });
  } finally {
    if (tty) out.write('\r\x1b[2K');
  }
  if (result.tally.sessions === 0 && !result.difference) {
    process.stderr.write(`${SUITE_NAME}: no session could be played on ${implementation.name} within the budget\n`);
    return EXIT.USAGE;
  }
  const replay = replayCommand(command);
  let feature: string | undefined;
  if (result.difference) {
    const dir = path.join(command.reportsDir, 'explore');
    fs.mkdirSync(dir, { recursive: true });
    feature = path.join(dir, `seed-${command.seed}.feature`);
    fs.writeFileSync(feature, featureText(result.difference, { seed: command.seed, implementation: implementation.name, replay }));
  }
  const finished = new Date();
  const summary = summaryLines(result, command, feature, replay);
  out.write(`${summary.join('\n')}\n`);
  writeReports(command, implementation, result, { started, finished, feature, replay, headline: summary[0] });
  return result.difference ? EXIT.NOT_CONFORMING : EXIT.CONFORMING;
}

function tallyText(t: Tally): string {
  const known = Object.values(t.known).reduce((a, b) => a + b, 0);
  return `${t.sessions} sessions, ${t.operations} operations, no difference${known > 0 ? ` (${known} known)` : ''}`;
}

function replayCommand(command: ExploreCommand): string {
  const parts = [`npx ${SUITE_NAME} explore`, `--seed ${command.seed}`];
  if (command.adapter !== 'reference' && !(command.adapter === 'kernel' && command.device)) parts.push(`--adapter ${displayPath(command.adapter)}`);
  if (command.device) parts.push(`--device ${command.device}`);
  for (const [k, v] of Object.entries(command.adapterOptions)) parts.push(`--adapter-option ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  if (command.knownDeviations) parts.push(`--known-deviations ${displayPath(command.knownDeviations)}`);
  if (command.runs !== Number.MAX_SAFE_INTEGER) parts.push(`--runs ${command.runs}`);
  parts.push(`--time-budget ${command.budgetSeconds}`);
  return parts.join(' ');
}

function summaryLines(result: Exploration, command: ExploreCommand, feature: string | undefined, replay: string): string[] {
  const t = result.tally;
  const head = `explored ${t.sessions} sessions, ${t.operations} operations in ${(result.elapsedMs / 1000).toFixed(1)} s`;
  const lines = [result.difference ? `${head}: a difference` : `${head}, no difference`];
  for (const [entry, count] of Object.entries(t.known)) lines.push(`  ${count} session(s) differed as the known deviation ${entry} says`);
  if (t.notRun > 0) lines.push(`  ${t.notRun} operation(s) left out: a known deviation says they must not run`);
  if (result.difference && feature) {
    const d = result.difference;
    lines.push(
      `  shrunk from ${d.foundLength} to ${d.steps.length - 2} operations; the scenario (passes on the reference, fails here):`,
      `    ${displayPath(feature)}`,
      `  run it: npx ${SUITE_NAME}${adapterArgs(command)} ${displayPath(feature)}`,
    );
  }
  lines.push(`  seed ${command.seed}; again: ${replay}`);
  return lines;
}

function adapterArgs(command: ExploreCommand): string {
  if (command.device) return `${command.adapter === 'kernel' ? '' : ` --adapter ${displayPath(command.adapter)}`} --device ${command.device}`;
  return command.adapter === 'reference' ? '' : ` --adapter ${displayPath(command.adapter)}`;
}

interface Written {
  started: Date;
  finished: Date;
  feature?: string;
  replay: string;
  headline: string;
}

/**
 * The envelope (a run's, with `exploration` in place of scenarios) and one Allure result, added
 * to any a run left in the same folder so that one report shows the suite and the exploration.
 */
function writeReports(command: ExploreCommand, implementation: Implementation, result: Exploration, w: Written): void {
  const dir = command.reportsDir;
  const allure = path.join(dir, ALLURE_RESULTS);
  try {
    fs.mkdirSync(allure, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot write reports to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (pass --reports with a writable folder)`);
  }
  const t = result.tally;
  const exploration = {
    seed: command.seed,
    budgetSeconds: command.budgetSeconds,
    sessions: t.sessions,
    operations: t.operations,
    operationsNotRun: t.notRun,
    knownDifferences: t.known,
    differences: result.difference ? 1 : 0,
    ...(result.difference && { scenario: w.feature && path.relative(dir, w.feature), firstDifferenceAt: result.difference.at }),
    replay: w.replay,
    summary: w.headline,
  };
  const envelope = {
    format: ENVELOPE_FORMAT,
    suite: { name: SUITE_NAME, version: SUITE_VERSION },
    specRevision: requirements.specRevision,
    implementation,
    run: { command: 'explore', started: w.started.toISOString(), finished: w.finished.toISOString(), knownDeviations: command.knownDeviations ?? null },
    verdict: result.difference ? 'not-conforming' : 'conforming',
    exploration,
  };
  fs.writeFileSync(path.join(dir, EXPLORE_ENVELOPE), `${JSON.stringify(envelope, null, 2)}\n`);
  writeEnvironment(allure, {
    verdict: envelope.verdict as RunVerdict,
    implementation,
    selection: `explored ${exploration.sessions} sessions (seed ${command.seed})`,
    knownDeviations: command.knownDeviations,
  });
  const uuid = `explore-${command.seed}-${w.started.getTime()}`;
  const attachments = [];
  if (w.feature) {
    const source = `${uuid}-attachment.feature`;
    fs.copyFileSync(w.feature, path.join(allure, source));
    attachments.push({ name: 'the difference as a scenario', source, type: 'text/plain' });
  }
  const allureResult = {
    uuid,
    historyId: `explore ${implementation.name}`,
    name: `explore: ${w.headline}`,
    fullName: `explore#${implementation.name}`,
    status: result.difference ? 'failed' : 'passed',
    statusDetails: { message: `seed ${command.seed}; again: ${w.replay}` },
    stage: 'finished',
    start: w.started.getTime(),
    stop: w.finished.getTime(),
    labels: [
      { name: 'epic', value: 'explore' },
      { name: 'feature', value: 'random sessions against the reference' },
      { name: 'tag', value: 'explore' },
    ],
    parameters: [
      { name: 'seed', value: String(command.seed) },
      { name: 'sessions', value: String(t.sessions) },
      { name: 'operations', value: String(t.operations) },
    ],
    steps: [],
    attachments,
  };
  fs.writeFileSync(path.join(allure, `${uuid}-result.json`), JSON.stringify(allureResult));
}
