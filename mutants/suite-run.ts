/**
 * Runs the whole suite against one adapter after another, as the mutant runner asks over IPC:
 * the CLI's own command line, configuration and judging of scenarios, without its reports (a
 * mutant run does not need them, and they take most of a CLI run's time). One process serves
 * many runs because cucumber's support code, loaded once, is most of the cost of a cold run.
 */

import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { configure, loadSuiteSupport, runSuite } from '../cli/cucumber';
import { parseCommandLine } from '../cli/options';
import { RunRecorder } from '../cli/outcomes';

export interface SuiteOutcome {
  scenarios: { name: string; outcome: string; ids: string[]; message?: string }[];
  /** BeforeAll/AfterAll failures, which fail a run without failing a scenario. */
  runHookFailures: string[];
}

/** Parent → worker: run the suite with this `--adapter` (and these further options of the CLI). */
export interface RunRequest {
  adapter: string;
  options?: string[];
}

/** Worker → parent, one per request. */
export type RunReply = { ok: true; outcome: SuiteOutcome } | { ok: false; error: string };

let support: ISupportCodeLibrary | undefined;

export async function runSuiteAgainst(adapter: string, more: readonly string[] = []): Promise<SuiteOutcome> {
  const options = parseCommandLine(['--adapter', adapter, '--quiet', ...more]);
  if (options.command !== 'run') throw new Error(`not a run: ${options.command}`);
  const config = await configure(options);
  support ??= await loadSuiteSupport(config);
  const recorder = new RunRecorder();
  await runSuite({ config, support, tagExpression: '', files: {}, formatOptions: {}, onMessage: recorder.handle });
  return {
    scenarios: recorder.results.map((r) => ({ name: r.name, outcome: r.outcome, ids: r.ids, ...(r.message ? { message: r.message } : {}) })),
    runHookFailures: recorder.runHookFailures,
  };
}

if (require.main === module) {
  process.on('message', (request: RunRequest) => {
    runSuiteAgainst(request.adapter, request.options).then(
      (outcome): RunReply => ({ ok: true, outcome }),
      (e: unknown): RunReply => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    ).then((reply) => process.send!(reply));
  });
}
