/**
 * Turns cucumber's message stream into one outcome per scenario, in the suite's own terms:
 * a broken promise (assertion) is *failed*; anything else that went wrong is *broken*.
 */

import * as path from 'node:path';
import type {
  Attachment,
  Envelope,
  Pickle,
  TestCase,
  TestCaseFinished,
  TestCaseStarted,
  TestRunHookFinished,
  TestStepFinished,
  TestStepResult,
} from '@cucumber/messages';
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

/**
 * After the known deviations have had their say; `not-run`: a known deviation says the
 * scenario crashes or wedges this implementation, so it was not started, or the run stopped
 * (the device stopped answering) before it.
 */
export type Outcome = RawOutcome | 'expected-failure' | 'unexpected-pass' | 'not-run';

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
/**
 * After the known deviations have had their say; `not-run`: a known deviation says the
 * scenario crashes or wedges this implementation, so it was not started, or the run stopped
 * (the device stopped answering) before it.
 */
  message?: string;
  /** Why it was skipped (the Before hook's log line). */
  skipReason?: string;
  /** The known-deviations entry that covers it. */
  deviation?: string;
}

export const AREA_TAG = '@area:';
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

  /** Feeds one cucumber message; pass it to runCucumber as its message listener. */
  readonly handle = (envelope: Envelope): void => {
    if (envelope.pickle) this.onPickle(envelope.pickle);
    else if (envelope.testCase) this.onTestCase(envelope.testCase);
    else if (envelope.testCaseStarted) this.onTestCaseStarted(envelope.testCaseStarted);
    else if (envelope.testStepFinished) this.onTestStepFinished(envelope.testStepFinished);
    else if (envelope.attachment) this.onAttachment(envelope.attachment);
    else if (envelope.testCaseFinished) this.onTestCaseFinished(envelope.testCaseFinished);
    else if (envelope.testRunHookFinished) this.onTestRunHookFinished(envelope.testRunHookFinished);
  };

  private onPickle(p: Pickle): void {
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
  }

  private onTestCase(testCase: TestCase): void {
    const stepText = new Map<string, string>();
    for (const s of testCase.testSteps) {
      if (s.pickleStepId) stepText.set(s.id, this.pickleSteps.get(s.pickleStepId) ?? '');
    }
    this.testCases.set(testCase.id, { pickleId: testCase.pickleId, stepText });
  }

  private onTestCaseStarted({ id, testCaseId }: TestCaseStarted): void {
    const scenario = this.scenarios.get(this.testCases.get(testCaseId)?.pickleId ?? '');
    if (scenario) this.attempts.set(id, { scenario, testCaseId, steps: [], logs: [] });
  }

  private onTestStepFinished({ testCaseStartedId, testStepId, testStepResult }: TestStepFinished): void {
    this.attempts.get(testCaseStartedId)?.steps.push({ testStepId, result: testStepResult });
  }

  /** Log lines carry the Before hook's reason for a skip. */
  private onAttachment(a: Attachment): void {
    if (a.mediaType === LOG_MEDIA_TYPE && a.testCaseStartedId) this.attempts.get(a.testCaseStartedId)?.logs.push(a.body);
  }

  private onTestCaseFinished({ testCaseStartedId, willBeRetried }: TestCaseFinished): void {
    const attempt = this.attempts.get(testCaseStartedId);
    this.attempts.delete(testCaseStartedId);
    if (!attempt || willBeRetried) return;
    const result = this.deviations.judge(attempt.scenario, this.judge(attempt));
    this.results.push(result);
    this.onResult(result);
  }

  private onTestRunHookFinished({ result }: TestRunHookFinished): void {
    if (result.status !== 'FAILED') return;
    this.runHookFailures.push(firstLine(result.exception?.message ?? result.message ?? 'a BeforeAll/AfterAll hook failed'));
  }

  private judge(attempt: Attempt): RawResult {
    const nanos = attempt.steps.reduce((sum, s) => sum + s.result.duration.seconds * 1e9 + s.result.duration.nanos, 0);
    const seconds = Math.round(nanos / 1e6) / 1e3;
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

export function areaOf(tags: string[], uri: string): string {
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

/** Items grouped by a key, in the order the keys first appear. */
export function groupBy<T>(items: Iterable<T>, keysOf: (item: T) => string | readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const keys = keysOf(item);
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}
