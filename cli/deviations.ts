/**
 * Known deviations: behaviours an implementation is known not to meet. Their scenarios are
 * expected to fail; one that passes is reported, so the list is pruned as the implementation
 * is fixed. Every entry must name something the suite has, so a typo cannot hide a failure.
 */

import * as fs from 'node:fs';
import { BEHAVIOUR_TAG, requirements } from '../requirements';
import { UsageError } from './exit-codes';
import { displayPath } from './package';
import type { RawResult, Scenario, ScenarioResult } from './outcomes';

/** Control characters, and what invalid UTF-8 decodes to: no scenario name holds them. */
const UNREADABLE = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;

export interface KnownDeviation {
  /** A behaviour id (`SYN-12`) or a scenario name, as written in the file. */
  entry: string;
  line: number;
}

export class KnownDeviations {
  constructor(
    readonly file: string | undefined,
    readonly entries: readonly KnownDeviation[],
  ) {}

  static none(): KnownDeviations {
    return new KnownDeviations(undefined, []);
  }

  coverOf(scenario: Pick<Scenario, 'name' | 'ids'>): KnownDeviation | undefined {
    return this.entries.find((d) => d.entry === scenario.name || scenario.ids.includes(d.entry));
  }

  /** Applies the list: a covered failure is expected, a covered pass is not. */
  judge(scenario: Scenario, raw: RawResult): ScenarioResult {
    const deviation = this.coverOf(scenario);
    const result: ScenarioResult = { ...scenario, ...raw };
    if (!deviation || raw.outcome === 'skipped') return result;
    result.deviation = deviation.entry;
    if (raw.outcome === 'passed') {
      result.outcome = 'unexpected-pass';
      result.message = `listed as a known deviation (${displayPath(this.file!)}:${deviation.line}) but passed: remove it from the list`;
    } else {
      result.outcome = 'expected-failure';
    }
    return result;
  }
}

/**
 * Reads the file: one behaviour id or scenario name per line, `#` starts a comment.
 * A missing file, an empty list, an unknown behaviour id or (when the whole suite runs) a
 * scenario name the suite lacks is a usage error. With feature paths of the user's own, a
 * name may belong to a scenario outside them; the summary then notes it covered nothing.
 */
export function readKnownDeviations(file: string, suite: { scenarios: Iterable<Scenario>; wholeSuite: boolean }): KnownDeviations {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`known deviations ${file}: ${why}`);
  }
  const ids = new Set(requirements.behaviours.map((b) => b.id));
  const names = new Set<string>();
  for (const s of suite.scenarios) {
    names.add(s.name);
    for (const id of s.ids) ids.add(id);
  }
  const entries: KnownDeviation[] = [];
  text.split('\n').forEach((raw, i) => {
    const entry = raw.replace(/#.*/, '').trim();
    if (entry === '') return;
    const line = i + 1;
    if (UNREADABLE.test(entry)) {
      throw new UsageError(`known deviations ${file}:${line}: not text (control characters or invalid UTF-8): one behaviour id or scenario name a line`);
    }
    const id = BEHAVIOUR_TAG.exec(entry.startsWith('@') ? entry : `@${entry}`)?.[1];
    if (id !== undefined && !ids.has(id)) {
      throw new UsageError(`known deviations ${file}:${line}: ${id} is not a behaviour id of the suite (see requirements/index.json)`);
    }
    if (id === undefined && suite.wholeSuite && !names.has(entry)) {
      throw new UsageError(`known deviations ${file}:${line}: no scenario in the suite is named "${entry}"`);
    }
    entries.push({ entry: id ?? entry, line });
  });
  if (entries.length === 0) throw new UsageError(`known deviations ${file}: no entries (one behaviour id or scenario name a line)`);
  return new KnownDeviations(file, entries);
}
