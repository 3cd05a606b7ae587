/**
 * The requirements index shipped with the suite: every KBUS behaviour by id, the spec section
 * it belongs to, its level, and the seed promises. Scenarios name these ids in their tags, so
 * reports and the traceability test can tell which requirement a result speaks for.
 */

import data from './index.json';

export type Level = 'core' | 'extended' | 'diagnostic';

export const LEVELS: readonly Level[] = ['core', 'extended', 'diagnostic'];

/** The spec's section headings as `@spec:` slugs (lower case, hyphens, no punctuation). */
export const SPEC_SLUGS = [
  'intentions',
  'message-names',
  'message-ids',
  'message-content',
  'message-header',
  'message-implementation',
  'limits',
  'message-flags',
  'send-flags',
  'things-kbus-changes-in-a-message',
  'announcements',
  'request-message',
  'reply-message',
  'status-message',
  'requests-and-replies',
  'the-kbus-devices',
  'ksocks',
  'senders',
  'listeners',
  'repliers',
  'stateful-transactions',
  'queues-filling-up',
  'urgent-messages',
  'select-writesend-and-next-message-blocking',
  'receiving-messages-once-only',
  'ioctls',
  'proc-kbus-bindings',
  'proc-kbus-stats',
  'error-numbers',
] as const;

export type SpecSlug = (typeof SPEC_SLUGS)[number];

export const PROMISES = [
  'ordering',
  'names',
  'wildcards',
  'broadcast',
  'request-reply',
  'guaranteed-reply',
  'sender-and-listener',
  'lossy-delivery',
  'data-untouched',
  'walled-off-buses',
] as const;

export type PromiseName = (typeof PROMISES)[number];

export interface Behaviour {
  /** e.g. `NAME-01`; scenarios carry it as the tag `@NAME-01`. */
  id: string;
  /** The id's prefix, e.g. `NAME`. */
  area: string;
  summary: string;
  spec: SpecSlug;
  level: Level;
  /**
   * The original module breaks this promise (in every case, or in the one `moduleDeviation`
   * names); the suite asserts the spec's promise in the scenarios tagged `@spec-over-module`.
   */
  specOverModule?: true;
  /** Where the module breaks it, and the function of kbus_main.c that causes it. */
  moduleDeviation?: string;
  /** What the suite leaves open on purpose, and why (e.g. serial numbers that may skip). */
  note?: string;
  /** Why no scenario can check it through the adapter interface. */
  untestable?: string;
  /** The adapter capability its scenarios need (they are skipped, with the reason, elsewhere). */
  needs?: string;
  /**
   * Per adapter name, why none of its scenarios can fail under that adapter: every one is
   * tagged `@cannot-fail-under:<adapter>`, and the traceability test wants the reason said here.
   */
  cannotFailUnder?: Record<string, string>;
}

export interface SeedPromise {
  name: PromiseName;
  summary: string;
}

export interface RequirementsIndex {
  specRevision: string;
  promises: SeedPromise[];
  behaviours: Behaviour[];
}

export const requirements: RequirementsIndex = data as RequirementsIndex;

const byId = new Map(requirements.behaviours.map((b) => [b.id, b]));

export function behaviour(id: string): Behaviour | undefined {
  return byId.get(id);
}

/** Tags that look like behaviour ids (`@AREA-NN`), whether or not the index knows them. */
export const BEHAVIOUR_TAG = /^@([A-Z]+-\d+)$/;
