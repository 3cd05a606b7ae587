/**
 * The search: random sessions from the generator, each played in lockstep on the reference and
 * on the implementation under test, until the budget runs out or they disagree; then the
 * session is shrunk (by fast-check, from the failing case's path) to a minimal one that still
 * disagrees in a way no listed deviation explains.
 */

import fc from 'fast-check';
import type { Adapter } from '../adapters/adapter';
import type { ExploreDeviations } from './deviations';
import { OPENING, Operation, SLOTS, session } from './generator';
import { Action, Answer, SessionPlayer } from './session';

export interface ComparedStep {
  action: Action | null;
  reference?: Answer;
  implementation?: Answer;
  notRun?: string;
}

export interface Comparison {
  steps: ComparedStep[];
  /** The index of the first step where the two disagree. */
  differsAt?: number;
  operations: number;
}

/** Plays one session on both, operation by operation, stopping at the first disagreement. */
export async function compareSession(reference: Adapter, implementation: Adapter, operations: readonly Operation[], deviations: ExploreDeviations): Promise<Comparison> {
  const ref = await SessionPlayer.begin(reference, SLOTS, deviations.guard);
  const impl = await SessionPlayer.begin(implementation, SLOTS, deviations.guard);
  const steps: ComparedStep[] = [];
  try {
    for (const o of [...OPENING, ...operations]) {
      const r = await ref.play(o);
      if (r.answer && !r.answer.ok && r.answer.errno.startsWith('fault:')) throw new Error(`the reference failed: ${r.answer.errno}`);
      const i = await impl.play(o);
      steps.push({ action: r.action, reference: r.answer, implementation: i.answer, ...(r.notRun && { notRun: r.notRun }) });
      if (JSON.stringify(r) !== JSON.stringify(i)) return { steps, differsAt: steps.length - 1, operations: ref.operations };
    }
    return { steps, operations: ref.operations };
  } finally {
    await Promise.all([ref.end(), impl.end()]);
  }
}

export interface ExploreOptions {
  reference: Adapter;
  implementation: Adapter;
  deviations: ExploreDeviations;
  seed: number;
  /** At most this many sessions. */
  runs: number;
  /** Stop looking after this long (shrinking a difference gets as long again). */
  budgetMs: number;
  /** Called after every session played while looking. */
  progress?(tally: Tally): void;
}

export interface Tally {
  sessions: number;
  operations: number;
  /** Operations left out because a listed deviation must not run. */
  notRun: number;
  /** Differences a listed deviation explains, by its entry. */
  known: Record<string, number>;
}

export interface Difference {
  /** The minimal session, with what each side answered. */
  steps: ComparedStep[];
  at: number;
  /** fast-check's path to the session found, for replay. */
  path: string;
  /** Operations of the session first found, and of the shrunk one. */
  foundLength: number;
}

export interface Exploration {
  tally: Tally;
  elapsedMs: number;
  difference?: Difference;
}

export async function explore(options: ExploreOptions): Promise<Exploration> {
  const started = Date.now();
  const tally: Tally = { sessions: 0, operations: 0, notRun: 0, known: {} };
  const deadline = started + options.budgetMs;
  let foundLength = 0;
  const agrees = async (operations: Operation[]) => {
    const c = await compareSession(options.reference, options.implementation, operations, options.deviations);
    tally.sessions++;
    tally.operations += c.operations;
    tally.notRun += c.steps.filter((s) => s.notRun).length;
    if (c.differsAt !== undefined) {
      const known = options.deviations.explain(c.steps, c.differsAt);
      if (!known) return false;
      tally.known[known] = (tally.known[known] ?? 0) + 1;
    }
    options.progress?.(tally);
    return true;
  };

  // Looking: stop at the first disagreement, without shrinking, within the budget.
  const looked = await fc.check(
    fc.asyncProperty(session, async (operations) => Date.now() > deadline || (await agrees(operations))),
    { seed: options.seed, numRuns: options.runs, endOnFailure: true, interruptAfterTimeLimit: options.budgetMs, markInterruptAsFailure: false },
  );
  if (!looked.failed || !looked.counterexample || looked.counterexamplePath === null) {
    return { tally, elapsedMs: Date.now() - started };
  }
  foundLength = looked.counterexample[0].length;

  // Shrinking: replay the failing case and let fast-check make it smaller, bounded too.
  const shrunk = await fc.check(fc.asyncProperty(session, (operations) => agreesQuietly(options, operations)), {
    seed: options.seed,
    path: looked.counterexamplePath,
    interruptAfterTimeLimit: options.budgetMs,
    markInterruptAsFailure: false,
  });
  const minimal = shrunk.failed && shrunk.counterexample ? shrunk.counterexample[0] : looked.counterexample[0];
  const c = await compareSession(options.reference, options.implementation, minimal, options.deviations);
  if (c.differsAt === undefined) throw new Error('the session that differed agrees when played again: one of the two is not deterministic');
  return {
    tally,
    elapsedMs: Date.now() - started,
    difference: { steps: c.steps.slice(0, c.differsAt + 1), at: c.differsAt, path: looked.counterexamplePath, foundLength },
  };
}

async function agreesQuietly(options: ExploreOptions, operations: Operation[]): Promise<boolean> {
  const c = await compareSession(options.reference, options.implementation, operations, options.deviations);
  return c.differsAt === undefined || options.deviations.explain(c.steps, c.differsAt) !== undefined;
}
