/**
 * Known deviations as `explore` sees them. The list is the one a run takes (read by
 * cli/deviations.ts); for each behaviour id it can recognise, explore knows which operations
 * run into it: those it must not run at all (they crash or wedge the implementation) and those
 * whose difference is the listed one, reported as known rather than as a finding.
 */

import type { KnownDeviations } from '../cli/deviations';
import { FLAG } from '../wire/constants';
import type { Action, Guard, KsockState } from './session';

/** One step of a session played on both sides, as the comparison sees it. */
export interface SessionStep {
  action: Action | null;
}

interface Trigger {
  /** The operation must not run: why. */
  notRun?: (action: Action, state: KsockState) => string | undefined;
  /** A difference at `steps[at]` is this deviation. */
  explains?: (steps: readonly SessionStep[], at: number) => boolean;
}

const isRequest = (a: Action | null) => a?.kind === 'send' && (a.message.flags & FLAG.WANT_A_REPLY) !== 0;

const TRIGGERS: Record<string, Trigger> = {
  // A write on a Ksock still waiting to send with ALL_OR_WAIT frees the waiting message and the
  // next poll dereferences it (issue 11): never run it where the list names it.
  'ALL-05': {
    notRun: (action, state) =>
      action.kind === 'send' && state.waitingToSend ? 'ALL-05: a write on a Ksock waiting to send (ALL_OR_WAIT) is listed as one that must not run' : undefined,
  },
  // Stateful requests left unanswered when their replier unbinds or closes.
  'SYN-12': { explains: (steps) => steps.some((s) => isRequest(s.action) && s.action?.kind === 'send' && s.action.message.to !== undefined) },
  // LENLEFT counted wrongly inside the data part.
  'IOC-13': { explains: (steps, at) => steps[at].action?.kind === 'query' && (steps[at].action as { query: string }).query === 'LENLEFT' },
  // Poll's readiness read before the retried send (a lost wake-up).
  'POLL-01': { explains: (steps, at) => steps[at].action?.kind === 'poll' },
  // A set-aside unbind event lost when its listener unbinds (allocator reuse).
  'RBE-13': { explains: (steps) => steps.some((s) => s.action?.kind === 'report' && s.action.value === 1) },
  'BIND-07': { explains: (steps) => steps.some((s) => s.action?.kind === 'report' && s.action.value === 1) },
};

export class ExploreDeviations {
  private readonly listed: { entry: string; line: number; trigger: Trigger }[];
  /** Listed entries explore cannot recognise in a session (scenario names, other ids). */
  readonly unrecognised: string[];

  constructor(readonly list: KnownDeviations) {
    this.listed = list.entries.flatMap((d) => (TRIGGERS[d.entry] ? [{ ...d, trigger: TRIGGERS[d.entry] }] : []));
    this.unrecognised = list.entries.filter((d) => !TRIGGERS[d.entry]).map((d) => d.entry);
  }

  /** The guard sessions run under: listed deviations that must not run are left out. */
  readonly guard: Guard = (action, state) => {
    for (const d of this.listed) {
      const why = d.trigger.notRun?.(action, state);
      if (why) return why;
    }
    return undefined;
  };

  /** The listed deviation a difference at `steps[at]` is, if any. */
  explain(steps: readonly SessionStep[], at: number): string | undefined {
    return this.listed.find((d) => d.trigger.explains?.(steps, at))?.entry;
  }
}
