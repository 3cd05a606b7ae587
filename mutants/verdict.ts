/**
 * The runner's judgement, kept apart from processes and printing: a mutant is killed when at
 * least one scenario fails or breaks against it; the whole run passes only when the reference
 * passes and every mutant is killed.
 */

import type { SuiteOutcome } from './suite-run';

/** How one suite run ended. */
export type RunEnd =
  | { ended: 'finished'; outcome: SuiteOutcome }
  | { ended: 'timed-out'; afterMs: number }
  | { ended: 'crashed'; detail: string };

export type MutantStatus = 'killed' | 'survived' | 'timed-out' | 'crashed';

export interface MutantVerdict {
  status: MutantStatus;
  /** Scenarios that caught it, those that failed an assertion first. */
  killers: string[];
  /** Whether one of them formalises a behaviour the mutant breaks (else the suite lacks that scenario, or the ids are wrong). */
  caughtOnTarget: boolean;
  detail?: string;
}

const CAUGHT = new Set(['failed', 'broken']);

export function judgeMutant(end: RunEnd, behaviours: readonly string[]): MutantVerdict {
  const none = { killers: [], caughtOnTarget: false };
  if (end.ended === 'timed-out') return { status: 'timed-out', ...none, detail: noResult(end.afterMs) };
  if (end.ended === 'crashed') return { status: 'crashed', ...none, detail: end.detail };
  const caught = end.outcome.scenarios.filter((s) => CAUGHT.has(s.outcome));
  caught.sort((a, b) => Number(a.outcome !== 'failed') - Number(b.outcome !== 'failed'));
  const killers = [...caught.map((s) => s.name), ...end.outcome.runHookFailures.map((f) => `(run hook) ${f}`)];
  const caughtOnTarget = caught.some((s) => s.ids.some((id) => behaviours.includes(id)));
  return { status: killers.length > 0 ? 'killed' : 'survived', killers, caughtOnTarget };
}

/** Why the reference run does not count as passing, or null when it does. */
export function referenceProblem(end: RunEnd): string | null {
  if (end.ended === 'timed-out') return noResult(end.afterMs);
  if (end.ended === 'crashed') return end.detail;
  const { scenarios, runHookFailures } = end.outcome;
  const bad = scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  if (bad.length > 0) return `${bad.length} scenario(s) did not pass, e.g. "${bad[0].name}": ${bad[0].message ?? bad[0].outcome}`;
  if (runHookFailures.length > 0) return `a run hook failed: ${runHookFailures[0]}`;
  if (!scenarios.some((s) => s.outcome === 'passed')) return 'no scenario passed';
  return null;
}

/** 0 when the reference passes and every mutant is killed, else 1. */
export function exitCode(reference: RunEnd, mutants: readonly MutantVerdict[]): number {
  return referenceProblem(reference) === null && mutants.every((m) => m.status === 'killed') ? 0 : 1;
}

function noResult(afterMs: number): string {
  return `no result after ${Math.round(afterMs / 1000)} s`;
}
