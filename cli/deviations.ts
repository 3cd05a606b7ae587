/**
 * Known deviations: behaviours an implementation is known not to meet. Their scenarios are
 * expected to fail, or, for a `not-run:` entry, are never started because they crash or wedge
 * that implementation. A deviation that has gone is reported, so the list is pruned as the
 * implementation is fixed. Every entry must name something the suite has, so a typo cannot
 * hide a failure.
 *
 * An entry naming a scenario is strict: that scenario passing is an unexpected pass. An entry
 * naming a behaviour id expects the id's scenarios to fail, but an implementation may get some
 * of them right (say, one row of an outline): a passing scenario of a listed id is just
 * passed, and only when every scenario the suite has for that id ran and passed is the
 * deviation gone, and each of them an unexpected pass.
 */

import * as fs from 'node:fs';
import { BEHAVIOUR_TAG, requirements } from '../requirements';
import { UsageError } from './exit-codes';
import { displayPath } from './package';
import type { RawResult, Scenario, ScenarioResult } from './outcomes';

/** Control characters, and what invalid UTF-8 decodes to: no scenario name holds them. */
const UNREADABLE = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;
const NOT_RUN = 'not-run:';
const NOT_RUN_ENTRY = /^not-run:\s*(.*?)\s+--\s+(.*\S)\s*$/;
const SYNTAX = 'one behaviour id or scenario name a line, or "not-run: ENTRY -- REASON"';

export interface KnownDeviation {
  /** A behaviour id (`SYN-12`) or a scenario name, as written in the file. */
  entry: string;
  kind: 'id' | 'name';
  line: number;
  /** For a `not-run:` entry, why its scenarios must not be run on this implementation. */
  notRun?: string;
}

export class KnownDeviations {
  constructor(
    readonly file: string | undefined,
    readonly entries: readonly KnownDeviation[],
  ) {}

  static none(): KnownDeviations {
    return new KnownDeviations(undefined, []);
  }

  /** The entry that speaks for a scenario: a not-run entry first (never run what crashes), then its name, then an id. */
  coverOf(scenario: Pick<Scenario, 'name' | 'ids'>): KnownDeviation | undefined {
    const covers = (d: KnownDeviation) => (d.kind === 'name' ? d.entry === scenario.name : scenario.ids.includes(d.entry));
    return (
      this.entries.find((d) => d.notRun !== undefined && covers(d)) ??
      this.entries.find((d) => d.kind === 'name' && covers(d)) ??
      this.entries.find((d) => d.kind === 'id' && covers(d))
    );
  }

  /** Scenario name → reason, for the scenarios of a selection that must not be started. */
  notRunReasons(scenarios: readonly Scenario[]): Record<string, string> {
    const reasons: Record<string, string> = {};
    for (const s of scenarios) {
      const reason = this.coverOf(s)?.notRun;
      if (reason !== undefined) reasons[s.name] = reason;
    }
    return reasons;
  }

  /**
   * Applies the list to one scenario as it finishes: a covered failure is expected; a covered
   * pass is unexpected when the entry names the scenario, and waits for {@link settle} when it
   * names a behaviour id.
   */
  judge(scenario: Scenario, raw: RawResult): ScenarioResult {
    const deviation = this.coverOf(scenario);
    const result: ScenarioResult = { ...scenario, ...raw };
    if (!deviation) return result;
    if (deviation.notRun !== undefined) {
      // The Before hook skips these scenarios; one that ran anyway keeps its outcome.
      if (raw.outcome !== 'skipped') return { ...result, deviation: deviation.entry };
      const { skipReason: _hook, ...rest } = result;
      return { ...rest, outcome: 'not-run', deviation: deviation.entry, message: deviation.notRun };
    }
    if (raw.outcome === 'skipped') return result;
    result.deviation = deviation.entry;
    if (raw.outcome !== 'passed') result.outcome = 'expected-failure';
    else if (deviation.kind === 'name') {
      result.outcome = 'unexpected-pass';
      result.message = `listed as a known deviation but passed: the deviation is gone; remove line ${deviation.line} ("${deviation.entry}") from ${this.where()}`;
    }
    return result;
  }

  /**
   * Once the run is over: a listed behaviour id all of whose scenarios in the suite ran and
   * passed is a deviation that has gone, and those scenarios are unexpected passes. Where only
   * some passed, a note says so.
   */
  settle(results: readonly ScenarioResult[], suite: readonly Scenario[]): { results: ScenarioResult[]; notes: string[] } {
    const settled = [...results];
    const notes: string[] = [];
    for (const d of this.entries) {
      if (d.kind !== 'id' || d.notRun !== undefined) continue;
      const listed = suite.filter((s) => this.coverOf(s) === d).length;
      const passed = settled.flatMap((r, i) => (r.outcome === 'passed' && r.deviation === d.entry && this.coverOf(r) === d ? [i] : []));
      if (passed.length === 0) continue;
      if (passed.length < listed) {
        notes.push(`known deviation ${d.entry} (line ${d.line}): ${passed.length} of its ${listed} scenarios passed; the others are why it stays listed`);
        continue;
      }
      const message = `every scenario of ${d.entry} passed: the deviation is gone; remove line ${d.line} ("${d.entry}") from ${this.where()}`;
      for (const i of passed) settled[i] = { ...settled[i]!, outcome: 'unexpected-pass', message };
    }
    return { results: settled, notes };
  }

  private where(): string {
    return this.file ? displayPath(this.file) : 'the known deviations';
  }
}

/**
 * Reads the file: one behaviour id or scenario name per line, or `not-run: ENTRY -- REASON`;
 * `#` starts a comment. A missing file, an empty list, a not-run entry without its reason, an
 * unknown behaviour id or (when the whole suite runs) a scenario name the suite lacks is a
 * usage error. With feature paths of the user's own, a name may belong to a scenario outside
 * them; the summary then notes it covered nothing.
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
    const content = raw.replace(/#.*/, '').trim();
    if (content === '') return;
    const line = i + 1;
    const at = `known deviations ${file}:${line}`;
    if (UNREADABLE.test(content)) throw new UsageError(`${at}: not text (control characters or invalid UTF-8): ${SYNTAX}`);
    let entry = content;
    let notRun: string | undefined;
    if (content.startsWith(NOT_RUN)) {
      const m = NOT_RUN_ENTRY.exec(content);
      if (!m || m[1] === '') throw new UsageError(`${at}: a not-run entry names what not to run and why: "not-run: ENTRY -- REASON"`);
      [, entry, notRun] = m as unknown as [string, string, string];
    }
    const id = BEHAVIOUR_TAG.exec(entry.startsWith('@') ? entry : `@${entry}`)?.[1];
    if (id !== undefined && !ids.has(id)) {
      throw new UsageError(`${at}: ${id} is not a behaviour id of the suite (see requirements/index.json)`);
    }
    if (id === undefined && suite.wholeSuite && !names.has(entry)) {
      throw new UsageError(`${at}: no scenario in the suite is named "${entry}"`);
    }
    entries.push({ entry: id ?? entry, kind: id === undefined ? 'name' : 'id', line, ...(notRun !== undefined ? { notRun } : {}) });
  });
  if (entries.length === 0) throw new UsageError(`known deviations ${file}: no entries (${SYNTAX})`);
  return new KnownDeviations(file, entries);
}
