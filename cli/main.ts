/**
 * `npx kbus-conformance`: checks the command line and the implementation, runs the suite,
 * prints the summary, writes the reports and exits 0 (conforming), 1 (not) or 2 (cannot run).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLURE_RESULTS, allureFormatOptions, finishAllureResults, generateReport } from './allure';
import { catalogue, configure, runSuite, select } from './cucumber';
import { KnownDeviations, readKnownDeviations } from './deviations';
import { buildEnvelope, ResultEnvelope } from './envelope';
import { EXIT, UsageError } from './exit-codes';
import { probeImplementation } from './implementation';
import { HELP, parseCommandLine, ReportOptions, RunOptions } from './options';
import { isUnexpected, RunRecorder, Scenario } from './outcomes';
import { displayPath, SUITE_NAME, SUITE_VERSION } from './package';
import { Progress } from './progress';
import { areaExpression, tagExpression } from './selection';
import { problems, skipReasons, summaryTable } from './summary';

export const ENVELOPE_FILE = 'kbus-conformance.json';

export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.command) {
      case 'help':
        process.stdout.write(`${HELP}\n`);
        return EXIT.CONFORMING;
      case 'version':
        process.stdout.write(`${SUITE_NAME} ${SUITE_VERSION}\n`);
        return EXIT.CONFORMING;
      case 'report':
        return await report(command);
      case 'run':
        return await run(command);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${SUITE_NAME}: ${e.message}\n`);
    return EXIT.USAGE;
  }
}

async function report(options: ReportOptions): Promise<number> {
  const output = await generateReport(options.reportsDir);
  process.stdout.write(`Allure report: ${displayPath(path.join(output, 'index.html'))}\n`);
  return EXIT.CONFORMING;
}

async function run(options: RunOptions): Promise<number> {
  for (const p of options.paths) {
    if (!fs.existsSync(p.replace(/(:\d+)+$/, ''))) throw new UsageError(`no such feature file or folder: ${p}`);
  }
  const config = await configure(options);
  const suite = await catalogue(config);
  const tags = tagExpression(options.tags, areaExpression(options.areas, suite.scenarios.map((s) => s.area)));
  const deviations = options.knownDeviations ? readKnownDeviations(options.knownDeviations, suite.scenarios) : KnownDeviations.none();
  const selected = await select(config, tags, suite.scenarios);
  if (selected.length === 0) {
    process.stderr.write(`${SUITE_NAME}: no scenario selected${tags ? ` by ${JSON.stringify(tags)}` : ''}: nothing was tested\n`);
    return EXIT.NOT_CONFORMING;
  }
  if (options.dryRun) return listSelection(selected, suite.dryRun);

  const implementation = await probeImplementation(options);
  const reportsDir = options.reportsDir;
  const resultsDir = path.join(reportsDir, ALLURE_RESULTS);
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const files: Record<string, string> = {
    [path.join(reportsDir, 'junit.xml')]: 'junit',
    [path.join(reportsDir, 'cucumber.ndjson')]: 'message',
    [path.join(reportsDir, 'cucumber.html')]: 'html',
    // The Allure formatter writes its own files into resultsDir; its stream has nothing to say.
    '/dev/null': path.join(__dirname, 'allure-formatter.js'),
  };
  const stdoutFormat = options.formats.find(([, target]) => target === undefined)?.[0];
  for (const [formatter, target] of options.formats) if (target !== undefined) files[target] = formatter;

  const progress = new Progress(
    process.stdout,
    selected.length,
    options.quiet || stdoutFormat ? 'off' : process.stdout.isTTY ? 'tty' : 'lines',
  );
  const recorder = new RunRecorder(deviations, (r) => progress.scenarioFinished(r));
  const started = new Date();
  progress.start(implementation.name);
  await runSuite({
    config,
    support: suite.support,
    tagExpression: tags,
    files,
    stdoutFormat,
    formatOptions: { ...allureFormatOptions(resultsDir, implementation), junit: { suiteName: SUITE_NAME } },
    onMessage: recorder.handle,
  });
  progress.finish();
  finishAllureResults(resultsDir, recorder.results);

  const results = recorder.results;
  const ran = results.filter((r) => r.outcome !== 'skipped').length;
  const unexpected = results.filter((r) => isUnexpected(r.outcome)).length;
  const verdict: ResultEnvelope['verdict'] =
    ran === 0 ? 'no-scenario-ran' : unexpected > 0 || recorder.runHookFailures.length > 0 ? 'not-conforming' : 'conforming';
  const envelope = buildEnvelope({
    implementation,
    results,
    suite: suite.scenarios,
    verdict,
    run: {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      tagExpression: tags,
      parallel: options.parallel,
      ...(deviations.file ? { knownDeviations: deviations.file } : {}),
    },
  });
  const envelopeFile = path.join(reportsDir, ENVELOPE_FILE);
  fs.writeFileSync(envelopeFile, `${JSON.stringify(envelope, null, 2)}\n`);

  const out: string[] = ['', summaryTable(results), ''];
  out.push(...skipReasons(results));
  const trouble = problems(results);
  if (trouble.length > 0) out.push('', 'Needs attention:', ...trouble);
  for (const failure of recorder.runHookFailures) out.push(`run hook failed: ${failure}`);
  const unused = deviations.entries.filter((d) => !selected.some((s) => deviations.coverOf(s) === d));
  for (const d of unused) out.push(`note: known deviation ${d.entry} (line ${d.line}) covers no scenario selected in this run`);
  out.push('', 'Reports:');
  for (const file of [...Object.keys(files).filter((f) => f !== '/dev/null'), resultsDir, envelopeFile]) out.push(`  ${displayPath(file)}`);
  out.push(`  (HTML from the Allure results: npx ${SUITE_NAME} report${reportsDir === path.resolve('reports') ? '' : ` --reports ${displayPath(reportsDir)}`})`);
  out.push('', verdictLine(verdict, envelope, implementation.name));
  process.stdout.write(`${out.join('\n')}\n`);
  return verdict === 'conforming' ? EXIT.CONFORMING : EXIT.NOT_CONFORMING;
}

function verdictLine(verdict: ResultEnvelope['verdict'], envelope: ResultEnvelope, implementation: string): string {
  const t = envelope.totals;
  const counts = [
    `${t.passed} passed`,
    t.failed && `${t.failed} failed`,
    t.broken && `${t.broken} broken`,
    t['unexpected-pass'] && `${t['unexpected-pass']} unexpectedly passed`,
    t['expected-failure'] && `${t['expected-failure']} failed as expected`,
    t.skipped && `${t.skipped} skipped`,
  ].filter(Boolean);
  const head = { conforming: 'CONFORMING', 'not-conforming': 'NOT CONFORMING', 'no-scenario-ran': 'NOTHING TESTED (every scenario was skipped)' }[verdict];
  return `${head}: ${implementation}: ${counts.join(', ')}`;
}

/** `--dry-run`: what would run, by area; a step without a definition is flagged, as it would break. */
function listSelection(selected: Scenario[], dryRun: { pickleId: string; outcome: string; message?: string }[]): number {
  const undefinedSteps = new Map(dryRun.filter((r) => r.outcome === 'broken').map((r) => [r.pickleId, r.message]));
  const byArea = new Map<string, Scenario[]>();
  for (const s of selected) byArea.set(s.area, [...(byArea.get(s.area) ?? []), s]);
  const out: string[] = [];
  for (const [area, scenarios] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`${area} (${scenarios.length})`);
    for (const s of scenarios) {
      const problem = undefinedSteps.get(s.pickleId);
      out.push(`  ${s.name}  [${s.ids.join(' ')}]  ${displayPath(s.file)}:${s.line}${problem ? `\n    would break: ${problem}` : ''}`);
    }
  }
  const broken = selected.filter((s) => undefinedSteps.has(s.pickleId)).length;
  out.push('', `${selected.length} scenario${selected.length === 1 ? '' : 's'} would run${broken ? `, ${broken} with undefined steps` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return broken > 0 ? EXIT.NOT_CONFORMING : EXIT.CONFORMING;
}
