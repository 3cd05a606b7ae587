/**
 * The machine-readable result of a run: what was tested, with which suite, and a verdict per
 * requirement id, so that a CI job or a dashboard can compare two implementations or releases.
 */

import { requirements } from '../requirements';
import type { Implementation } from './implementation';
import { groupBy, isUnexpected, type Outcome, type Scenario, type ScenarioResult } from './outcomes';
import { SUITE_NAME, SUITE_VERSION } from './package';
import { countOutcomes, type Counts, type RunVerdict } from './summary';

export const ENVELOPE_FORMAT = 'kbus-conformance-result/1';

export type Verdict =
  | Outcome
  /** The index says no scenario can check it through the adapter interface. */
  | 'untestable'
  /** The suite has scenarios for it, but this run's selection left them out. */
  | 'not-run'
  /** Testable, yet no scenario in the suite formalises it. */
  | 'no-scenario';

export interface RequirementResult {
  verdict: Verdict;
  summary?: string;
  spec?: string;
  level?: string;
  untestable?: string;
  scenarios: { name: string; outcome: Outcome; deviation?: string }[];
}

export interface ResultEnvelope {
  format: typeof ENVELOPE_FORMAT;
  suite: { name: string; version: string };
  specRevision: string;
  implementation: Implementation;
  run: {
    started: string;
    finished: string;
    tagExpression: string;
    parallel: number;
    knownDeviations?: string;
  };
  verdict: RunVerdict;
  totals: Counts;
  requirements: Record<string, RequirementResult>;
  /** Without run-specific ids or machine-specific paths, so two envelopes compare line by line. */
  scenarios: Omit<ScenarioResult, 'pickleId' | 'file'>[];
}

/** Worst first: a requirement takes the verdict of its worst scenario. */
const SEVERITY: Outcome[] = ['failed', 'broken', 'unexpected-pass', 'expected-failure', 'not-run', 'passed', 'skipped'];

export function requirementVerdicts(results: readonly ScenarioResult[], suite: readonly Scenario[]): Record<string, RequirementResult> {
  const byId = groupBy(results, (r) => r.ids);
  const inSuite = new Set(suite.flatMap((s) => s.ids));

  const out: Record<string, RequirementResult> = {};
  for (const b of requirements.behaviours) {
    const ran = byId.get(b.id) ?? [];
    const verdict: Verdict =
      ran.length > 0
        ? SEVERITY.find((o) => ran.some((r) => r.outcome === o))!
        : b.untestable
          ? 'untestable'
          : inSuite.has(b.id)
            ? 'not-run'
            : 'no-scenario';
    out[b.id] = {
      verdict,
      summary: b.summary,
      spec: b.spec,
      level: b.level,
      ...(b.untestable ? { untestable: b.untestable } : {}),
      scenarios: ran.map((r) => ({ name: r.name, outcome: r.outcome, ...(r.deviation ? { deviation: r.deviation } : {}) })),
    };
  }
  return out;
}

export function verdictOf(results: readonly ScenarioResult[], runHookFailures: readonly string[]): RunVerdict {
  if (results.every((r) => r.outcome === 'skipped')) return 'no-scenario-ran';
  return results.some((r) => isUnexpected(r.outcome)) || runHookFailures.length > 0 ? 'not-conforming' : 'conforming';
}

export function buildEnvelope(args: {
  implementation: Implementation;
  results: readonly ScenarioResult[];
  suite: readonly Scenario[];
  verdict: RunVerdict;
  run: ResultEnvelope['run'];
}): ResultEnvelope {
  return {
    format: ENVELOPE_FORMAT,
    suite: { name: SUITE_NAME, version: SUITE_VERSION },
    specRevision: requirements.specRevision,
    implementation: args.implementation,
    run: args.run,
    verdict: args.verdict,
    totals: countOutcomes(args.results),
    requirements: requirementVerdicts(args.results, args.suite),
    scenarios: args.results.map(({ pickleId: _id, file: _file, ...comparable }) => comparable),
  };
}
