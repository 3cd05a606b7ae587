/**
 * Turns cucumber's message stream into one outcome per scenario, in the suite's own terms:
 * a broken promise (assertion) is *failed*; anything else that went wrong is *broken*.
 */

import * as path from 'node:path';
import type { Envelope, TestStepResult } from '@cucumber/messages';
import { BEHAVIOUR_TAG } from '../requirements';
import { KnownDeviations } from './deviations';
import { PACKAGE_ROOT } from './package';

export interface Scenario {
  pickleId: string;
  name: string;
  /** Feature file, relative to the package root (where cucumber runs). */
  uri: string;
  /** The same, absolute. */
  file: string;
  line: number;
  /** From the feature's `@area:` tag; the file's name when it has none. */
  area: string;
  /** Behaviour ids from the tags, e.g. `NAME-01`. */
  ids: string[];
  tags: string[];
}

/** What cucumber alone can say about a scenario. */
export type RawOutcome = 'passed' | 'failed' | 'broken' | 'skipped';

/** After the known deviations have had their say. */
export type Outcome = RawOutcome | 'expected-failure' | 'unexpected-pass';

/** What cucumber's messages say about one run of a scenario. */
export interface RawResult {
  outcome: RawOutcome;
  message?: string;
  skipReason?: string;
  /** Time spent in its steps and hooks. */
  seconds: number;
}

export interface ScenarioResult extends Scenario {
  outcome: Outcome;
  seconds: number;
  /** Why it failed or broke, as the error said it. */
  message?: string;
  /** Why it was skipped (the Before hook's log line). */
  skipReason?: string;
  /** The known-deviations entry that covers it. */
  deviation?: string;
}

const AREA_TAG = '@area:';
const LOG_MEDIA_TYPE = 'text/x.cucumber.log+plain';
const PROBLEM_STATUSES = new Set(['UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN']);

interface Attempt {
  scenario: Scenario;
  testCaseId: string;
  steps: { testStepId: string; result: TestStepResult }[];
  logs: string[];
}

export class RunRecorder {
  /** Every scenario cucumber compiled, by pickle id, whether or not it ran. */
  readonly scenarios = new Map<string, Scenario>();
  readonly results: ScenarioResult[] = [];
  /** BeforeAll/AfterAll hooks that failed: the run cannot be trusted even if scenarios passed. */
  readonly runHookFailures: string[] = [];
  private readonly pickleSteps = new Map<string, string>();
  private readonly testCases = new Map<string, { pickleId: string; stepText: Map<string, string> }>();
  private readonly attempts = new Map<string, Attempt>();

  constructor(
    private readonly deviations: KnownDeviations = KnownDeviations.none(),
    private readonly onResult: (result: ScenarioResult) => void = () => {},
  ) {}

  readonly handle = (envelope: Envelope): void => {
    if (envelope.pickle) {
      const p = envelope.pickle;
      const tags = p.tags.map((t) => t.name);
      for (const step of p.steps) this.pickleSteps.set(step.id, step.text);
      this.scenarios.set(p.id, {
        pickleId: p.id,
        name: p.name,
        uri: p.uri,
        file: path.resolve(PACKAGE_ROOT, p.uri),
        line: p.location?.line ?? 0,
        area: areaOf(tags, p.uri),
        ids: tags.flatMap((t) => BEHAVIOUR_TAG.exec(t)?.[1] ?? []),
        tags,
      });
    } else if (envelope.testCase) {
      const stepText = new Map<string, string>();
      for (const s of envelope.testCase.testSteps) {
        if (s.pickleStepId) stepText.set(s.id, this.pickleSteps.get(s.pickleStepId) ?? '');
      }
      this.testCases.set(envelope.testCase.id, { pickleId: envelope.testCase.pickleId, stepText });
    } else if (envelope.testCaseStarted) {
      const { id, testCaseId } = envelope.testCaseStarted;
      const scenario = this.scenarios.get(this.testCases.get(testCaseId)?.pickleId ?? '');
      if (scenario) this.attempts.set(id, { scenario, testCaseId, steps: [], logs: [] });
    } else if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepId, testStepResult } = envelope.testStepFinished;
      this.attempts.get(testCaseStartedId)?.steps.push({ testStepId, result: testStepResult });
    } else if (envelope.attachment?.mediaType === LOG_MEDIA_TYPE && envelope.attachment.testCaseStartedId) {
      this.attempts.get(envelope.attachment.testCaseStartedId)?.logs.push(envelope.attachment.body);
    } else if (envelope.testCaseFinished) {
      const { testCaseStartedId, willBeRetried } = envelope.testCaseFinished;
      const attempt = this.attempts.get(testCaseStartedId);
      this.attempts.delete(testCaseStartedId);
      if (!attempt || willBeRetried) return;
      const result = this.deviations.judge(attempt.scenario, this.judge(attempt));
      this.results.push(result);
      this.onResult(result);
    } else if (envelope.testRunHookFinished?.result.status === 'FAILED') {
      const r = envelope.testRunHookFinished.result;
      this.runHookFailures.push(firstLine(r.exception?.message ?? r.message ?? 'a BeforeAll/AfterAll hook failed'));
    }
  };

  private judge(attempt: Attempt): RawResult {
    const seconds = attempt.steps.reduce((sum, s) => sum + s.result.duration.seconds + s.result.duration.nanos / 1e9, 0);
    const failed = attempt.steps.find((s) => s.result.status === 'FAILED');
    if (failed) {
      const { exception, message } = failed.result;
      const outcome: RawOutcome = exception?.type === 'AssertionError' ? 'failed' : 'broken';
      return { outcome, message: exception?.message ?? message ?? 'failed without a message', seconds };
    }
    const problem = attempt.steps.find((s) => PROBLEM_STATUSES.has(s.result.status));
    if (problem) {
      const text = this.testCases.get(attempt.testCaseId)?.stepText.get(problem.testStepId);
      return { outcome: 'broken', message: `${problem.result.status.toLowerCase()} step${text ? `: ${text}` : ''}`, seconds };
    }
    if (attempt.steps.some((s) => s.result.status === 'SKIPPED')) {
      const reason = attempt.logs.map((l) => l.replace(/^skipped:\s*/i, '')).join('; ');
      return { outcome: 'skipped', skipReason: reason || 'skipped', seconds };
    }
    return { outcome: 'passed', seconds };
  }
}

function areaOf(tags: string[], uri: string): string {
  const tag = tags.find((t) => t.startsWith(AREA_TAG));
  return tag ? tag.slice(AREA_TAG.length) : (uri.split('/').pop() ?? uri).replace(/\.feature$/, '');
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** Failures the run must answer for: those not covered by a known deviation. */
export function isUnexpected(outcome: Outcome): boolean {
  return outcome === 'failed' || outcome === 'broken' || outcome === 'unexpected-pass';
}
