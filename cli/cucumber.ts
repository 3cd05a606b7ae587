/**
 * Drives cucumber through its JavaScript API: the package's profile (cucumber.js) with this
 * run's selection, world parameters and report files. Cucumber runs from the package's
 * folder so that features and compiled steps are found wherever the package is installed.
 */

import { Writable } from 'node:stream';
import {
  IRunConfiguration,
  IRunEnvironment,
  ISupportCodeLibrary,
  loadConfiguration,
  loadSources,
  loadSupport,
  runCucumber,
} from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { UsageError } from './exit-codes';
import type { RunOptions } from './options';
import { firstLine, RunRecorder, Scenario, ScenarioResult } from './outcomes';
import { PACKAGE_ROOT } from './package';

/** Swallows the output of cucumber's stdout formatter when the CLI draws its own. */
function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function environment(stdout: Writable = sink()): IRunEnvironment {
  return { cwd: PACKAGE_ROOT, stdout, stderr: process.stderr, env: process.env };
}

/** The package's default profile, narrowed to the user's paths, with the world parameters. */
export async function configure(options: RunOptions): Promise<IRunConfiguration> {
  const worldParameters = {
    adapter: options.adapter,
    ...(options.device !== undefined ? { device: options.device } : {}),
    adapterOptions: options.adapterOptions,
  };
  const { runConfiguration } = await loadConfiguration(
    {
      // Relative to the environment's cwd, which is the package root.
      file: 'cucumber.js',
      profiles: ['default'],
      provided: { worldParameters: worldParameters as never, parallel: options.parallel > 1 ? options.parallel : 0 },
    },
    environment(),
  );
  if (options.paths.length > 0) runConfiguration.sources.paths = options.paths;
  return runConfiguration;
}

export interface Catalogue {
  /** Every scenario in the features, before any tag filter. */
  scenarios: Scenario[];
  /** A dry run's verdicts: `broken` where a step has no definition. */
  dryRun: ScenarioResult[];
  /** Loaded once and reused: cucumber cannot load the same support code twice in a process. */
  support: ISupportCodeLibrary;
}

/** Compiles every scenario without running any, so selections and deviation lists can be checked. */
export async function catalogue(config: IRunConfiguration): Promise<Catalogue> {
  const recorder = new RunRecorder();
  const parseErrors: string[] = [];
  const { support } = await runCucumber(
    {
      ...config,
      sources: { ...config.sources, tagExpression: '' },
      runtime: { ...config.runtime, dryRun: true, parallel: 0 },
      formats: { stdout: 'summary', files: {}, publish: false, options: {} },
    },
    environment(),
    (envelope: Envelope) => {
      if (envelope.parseError) parseErrors.push(`${envelope.parseError.source.uri}: ${envelope.parseError.message}`);
      recorder.handle(envelope);
    },
  );
  if (parseErrors.length > 0) throw new UsageError(`feature file does not parse: ${parseErrors[0]}`);
  return { scenarios: [...recorder.scenarios.values()], dryRun: recorder.results, support };
}

/** The step definitions and hooks alone, for runs that need no catalogue of the scenarios. */
export function loadSuiteSupport(config: IRunConfiguration): Promise<ISupportCodeLibrary> {
  return loadSupport({ sources: config.sources, support: config.support }, environment());
}

/** The scenarios a tag expression selects, in the order they would run. */
export async function select(config: IRunConfiguration, tagExpression: string, all: Scenario[]): Promise<Scenario[]> {
  let plan;
  try {
    ({ plan } = await loadSources({ ...config.sources, tagExpression }, environment()));
  } catch (e) {
    // Cucumber wraps the parser's error, which is the one that names the mistake.
    let cause = e as Error;
    while (cause.cause instanceof Error) cause = cause.cause;
    const why = firstLine(cause.message).replace(/^Tag expression ".*?" /, '');
    throw new UsageError(`tag expression ${JSON.stringify(tagExpression)}: ${why}`);
  }
  const byPlace = new Map(all.map((s) => [`${s.uri}:${s.line}`, s]));
  return plan.flatMap((p) => byPlace.get(`${p.uri}:${p.location.line}`) ?? []);
}

export interface SuiteRun {
  config: IRunConfiguration;
  support: ISupportCodeLibrary;
  tagExpression: string;
  /** Report file (absolute) → cucumber formatter. */
  files: Record<string, string>;
  /** The user's formatter for stdout, if any (the CLI's own display is off then). */
  stdoutFormat?: string;
  formatOptions: Record<string, unknown>;
  onMessage(envelope: Envelope): void;
}

export async function runSuite(run: SuiteRun): Promise<void> {
  try {
    await runCucumber(
      {
        ...run.config,
        support: run.support,
        sources: { ...run.config.sources, tagExpression: run.tagExpression },
        formats: {
          stdout: run.stdoutFormat ?? 'summary',
          files: run.files,
          publish: false,
          options: run.formatOptions as never,
        },
      },
      environment(run.stdoutFormat ? process.stdout : sink()),
      run.onMessage,
    );
  } catch (e) {
    // Cucumber loads formatters only once it runs; a wrong --format is the user's, not a crash.
    const formatter = /^Failed to import formatter (.*)$/.exec((e as Error).message)?.[1];
    if (formatter === undefined) throw e;
    throw new UsageError(`--format: no formatter ${formatter} (a cucumber formatter such as pretty, json, progress or junit, or the path of a formatter module)`);
  }
}
