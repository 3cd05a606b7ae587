/**
 * `npx kbus-conformance`: checks the command line and the implementation, runs the suite,
 * prints the summary, writes the reports and exits 0 (conforming), 1 (not) or 2 (cannot run).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IRunConfiguration } from '@cucumber/cucumber/api';
import { abandonedCalls } from '../adapters/bounded';
import { stallLine, type Stall } from '../adapters/device-stall';
import { exitNow } from '../adapters/kernel/libc';
import { allureFormatOptions, finishAllureResults, generateReport, reportTitle, writeEnvironment, writeUnfinishedResults } from './allure';
import { catalogue, configure, runSuite, select } from './cucumber';
import { KnownDeviations, readKnownDeviations } from './deviations';
import { buildEnvelope, ResultEnvelope, verdictOf } from './envelope';
import { EXIT, UsageError } from './exit-codes';
import { probeImplementation } from './implementation';
import { junitXml } from './junit';
import { parseCommandLine, ReportOptions, RunOptions } from './options';
import { groupBy, RunRecorder, Scenario } from './outcomes';
import { displayPath, SUITE_NAME, SUITE_VERSION } from './package';
import { Progress, ProgressMode } from './progress';
import { clearReports, ENVELOPE_FILE, planReports, ReportPlan, reportListing } from './reports';
import { killDescendants, withinRunBound } from './run-bound';
import { areaExpression, describeSelection, tagExpression } from './selection';
import { StallWatch, unfinishedResults } from './stopped-run';
import { renderSummary } from './summary';

export async function main(argv: string[]): Promise<number> {
  // Loaded only when asked for: serving devices needs FUSE, running the suite does not.
  if (argv[0] === 'serve') return (await import('../fuse/main')).serveCommand(argv.slice(1));
  if (argv[0] === 'agent') return (await import('../agent/reference-agent')).agentCommand(argv.slice(1));
  try {
    if (argv[0] === 'explore') return await (await import('./explore')).exploreCommand(argv.slice(1));
    if (argv[0] === 'spec') return await (await import('./spec/command')).specCommand(argv.slice(1));
    const command = parseCommandLine(argv);
    switch (command.command) {
      case 'help':
        process.stdout.write(`${command.text}\n`);
        return EXIT.CONFORMING;
      case 'version':
        process.stdout.write(`${SUITE_NAME} ${SUITE_VERSION}\n`);
        return EXIT.CONFORMING;
      case 'report':
        return await report(command);
      case 'run': {
        const code = await withinRunBound(command.timeoutMinutes, () => run(command));
        // Node's exit would wait forever for a thread still stuck in the device.
        if (abandonedCalls() > 0) exitNow(code);
        return code;
      }
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${SUITE_NAME}: ${e.message}\n`);
    return EXIT.USAGE;
  }
}

async function report(options: ReportOptions): Promise<number> {
  const output = await generateReport(options.reportsDir, lastRunTitle(options.reportsDir));
  process.stdout.write(`Allure report: ${displayPath(path.join(output, 'index.html'))} (open it in a browser)\n`);
  return EXIT.CONFORMING;
}

/** The report is headed by the verdict of the run that wrote the results, from its envelope. */
function lastRunTitle(reportsDir: string): string | undefined {
  try {
    const envelope = JSON.parse(fs.readFileSync(path.join(reportsDir, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
    return reportTitle({ verdict: envelope.verdict, implementation: envelope.implementation, selection: envelope.run.selection });
  } catch {
    return undefined; // results without an envelope (a run that was stopped): an untitled report
  }
}

async function run(options: RunOptions): Promise<number> {
  const plan = await planRun(options);
  if (!options.dryRun) clearReports(options.reportsDir);
  if (plan.selected.length === 0) {
    const by = plan.tags ? ` by ${JSON.stringify(plan.tags)}` : '';
    process.stderr.write(`${SUITE_NAME}: no scenario selected${by}: nothing was tested\n`);
    return EXIT.NOT_CONFORMING;
  }
  if (options.dryRun) return listSelection(plan.selected, plan.suite.dryRun, plan.deviations);

  const implementation = await probeImplementation(options);
  const reports = planReports(options);
  const progress = new Progress(process.stdout, plan.selected.length, progressMode(options, reports));
  const recorder = new RunRecorder(plan.deviations, (r) => progress.scenarioFinished(r));
  const started = new Date();
  progress.start(implementation.name);
  const watch = new StallWatch();
  let stall: Stall | undefined;
  try {
    const suite = runSuite({
      config: inWorkerProcess(plan.config, options),
      support: plan.suite.support,
      tagExpression: plan.tags,
      files: reports.files,
      stdoutFormat: reports.stdoutFormat,
      formatOptions: allureFormatOptions(reports.allureResults),
      onMessage: recorder.handle,
    });
    stall = await Promise.race([suite.then(() => undefined), watch.stalled]);
  } finally {
    watch.stop();
  }
  if (stall) {
    // The worker stuck in the device, and the others: no call may reach the device after this.
    killDescendants();
    process.stderr.write(`${SUITE_NAME}: ${stallLine(stall)}\n`);
  }
  progress.finish();
  const settled = plan.deviations.settle(recorder.results, plan.suite.scenarios);
  finishAllureResults(reports.allureResults, settled.results);
  const unfinished = stall ? unfinishedResults(stall, plan.selected, settled.results) : [];
  writeUnfinishedResults(reports.allureResults, unfinished);
  const results = [...settled.results, ...unfinished];
  const notes = settled.notes;

  const verdict = verdictOf(results, recorder.runHookFailures);
  const selection = describeSelection(options, plan.selected.length, plan.suite.scenarios.length);
  writeEnvironment(reports.allureResults, { verdict, implementation, selection: selection.text, knownDeviations: plan.deviations.file });
  const envelope = buildEnvelope({
    implementation,
    results,
    suite: plan.suite.scenarios,
    verdict,
    run: {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      tagExpression: plan.tags,
      selection: selection.text,
      parallel: options.parallel,
      ...(plan.deviations.file ? { knownDeviations: plan.deviations.file } : {}),
    },
  });
  fs.writeFileSync(reports.envelope, `${JSON.stringify(envelope, null, 2)}\n`);
  fs.writeFileSync(reports.junit, junitXml(results));
  const summary = renderSummary({
    results,
    verdict,
    implementation: implementation.name,
    adapter: implementation.adapter,
    selection: selection.text,
    partial: selection.partial,
    runHookFailures: recorder.runHookFailures,
    unusedDeviations: plan.deviations.entries.filter((d) => !plan.selected.some((s) => plan.deviations.coverOf(s) === d)),
    deviationNotes: notes,
    reports: reportListing(reports),
  });
  // The blank line separates the summary from the progress display, which --quiet leaves out.
  process.stdout.write(options.quiet ? summary.trimStart() : summary);
  // Without going back to the event loop, where cucumber would meet the workers just killed (or
  // wait for one stuck in the device for good).
  if (stall) exitNow(EXIT.NOT_CONFORMING);
  return verdict === 'conforming' ? EXIT.CONFORMING : EXIT.NOT_CONFORMING;
}

/**
 * Any implementation but the bundled reference, which never blocks, may block the thread that
 * calls it for good: its scenarios run in cucumber worker processes (one without --parallel), so
 * that this process, which watches for that (cli/stopped-run.ts) and writes the reports, is never
 * the one blocked.
 */
function inWorkerProcess(config: IRunConfiguration, options: RunOptions): IRunConfiguration {
  if (options.adapter === 'reference') return config;
  return { ...config, runtime: { ...config.runtime, parallel: Math.max(1, config.runtime.parallel) } };
}

/** Everything that can be checked without touching the implementation. */
async function planRun(options: RunOptions) {
  for (const p of options.paths) {
    if (!fs.existsSync(p.replace(/(:\d+)+$/, ''))) throw new UsageError(`no such feature file or folder: ${p}`);
  }
  const config = await configure(options);
  const suite = await catalogue(config);
  const tags = tagExpression(options.tags, areaExpression(options.areas, suite.scenarios.map((s) => s.area)));
  const deviations = options.knownDeviations
    ? readKnownDeviations(options.knownDeviations, { scenarios: suite.scenarios, wholeSuite: options.paths.length === 0 })
    : KnownDeviations.none();
  const selected = await select(config, tags, suite.scenarios);
  // The Before hook skips these before they touch the implementation.
  config.runtime.worldParameters = { ...config.runtime.worldParameters, notRun: deviations.notRunReasons(selected) };
  return { config, suite, tags, deviations, selected };
}

function progressMode(options: RunOptions, reports: ReportPlan): ProgressMode {
  if (options.quiet || reports.stdoutFormat) return 'off';
  return process.stdout.isTTY ? 'tty' : 'lines';
}

/** `--dry-run`: what would run, by area; a step without a definition is flagged, as it would break, and what a known deviation keeps from running. */
function listSelection(selected: Scenario[], dryRun: { pickleId: string; outcome: string; message?: string }[], deviations: KnownDeviations): number {
  const undefinedSteps = new Map(dryRun.filter((r) => r.outcome === 'broken').map((r) => [r.pickleId, r.message]));
  const byArea = groupBy(selected, (s) => s.area);
  const out: string[] = [];
  for (const [area, scenarios] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`${area} (${scenarios.length})`);
    for (const s of scenarios) {
      const problem = undefinedSteps.get(s.pickleId);
      const notRun = deviations.coverOf(s)?.notRun;
      const note = notRun !== undefined ? `\n    not run (known deviation): ${notRun}` : problem ? `\n    would break: ${problem}` : '';
      out.push(`  ${s.name}  [${s.ids.join(' ')}]  ${displayPath(s.file)}:${s.line}${note}`);
    }
  }
  const broken = selected.filter((s) => undefinedSteps.has(s.pickleId)).length;
  const kept = Object.keys(deviations.notRunReasons(selected)).length;
  const running = selected.length - kept;
  out.push('', `${running} scenario${running === 1 ? '' : 's'} would run${broken ? `, ${broken} with undefined steps` : ''}${kept ? `; ${kept} not run (known deviations)` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return broken > 0 ? EXIT.NOT_CONFORMING : EXIT.CONFORMING;
}
