/** The end-of-run table by area, the reasons behind skips, and what needs attention. */

import { isUnexpected, type Outcome, type ScenarioResult } from './outcomes';
import { displayPath } from './package';

const COLUMNS: { outcome: Outcome; title: string }[] = [
  { outcome: 'passed', title: 'passed' },
  { outcome: 'failed', title: 'failed' },
  { outcome: 'broken', title: 'broken' },
  { outcome: 'skipped', title: 'skipped' },
  { outcome: 'expected-failure', title: 'expected-failed' },
  { outcome: 'unexpected-pass', title: 'unexpected-pass' },
];

export type Counts = Record<Outcome, number>;

export function countOutcomes(results: readonly ScenarioResult[]): Counts {
  const counts = Object.fromEntries(COLUMNS.map((c) => [c.outcome, 0])) as Counts;
  for (const r of results) counts[r.outcome]++;
  return counts;
}

export function summaryTable(results: readonly ScenarioResult[]): string {
  const byArea = new Map<string, ScenarioResult[]>();
  for (const r of results) byArea.set(r.area, [...(byArea.get(r.area) ?? []), r]);
  const rows: [string, Counts][] = [...byArea.keys()].sort().map((area) => [area, countOutcomes(byArea.get(area)!)]);
  rows.push(['total', countOutcomes(results)]);

  const areaWidth = Math.max(4, ...rows.map(([a]) => a.length));
  const line = (first: string, cells: string[]) =>
    [first.padEnd(areaWidth), ...cells.map((c, i) => c.padStart(COLUMNS[i]!.title.length))].join('  ');
  const out = [line('area', COLUMNS.map((c) => c.title))];
  rows.forEach(([area, counts], i) => {
    if (i === rows.length - 1) out.push('-'.repeat(out[0]!.length));
    out.push(line(area, COLUMNS.map((c) => String(counts[c.outcome]))));
  });
  return out.join('\n');
}

/** Skipped scenarios grouped by the reason the Before hook gave. */
export function skipReasons(results: readonly ScenarioResult[]): string[] {
  const reasons = new Map<string, number>();
  for (const r of results) if (r.outcome === 'skipped') reasons.set(r.skipReason!, (reasons.get(r.skipReason!) ?? 0) + 1);
  return [...reasons].map(([reason, n]) => `skipped ${n}: ${reason}`);
}

/** The scenarios that make the run fail, with where they are and why; the first `limit` of them. */
export function problems(results: readonly ScenarioResult[], limit = 25): string[] {
  const all = results.filter((r) => isUnexpected(r.outcome));
  const shown = all.slice(0, limit).map((r) => {
    const why = (r.message ?? '').split('\n')[0];
    return `${r.outcome.padEnd(15)} ${r.area}: ${r.name} (${displayPath(r.file)}:${r.line})${why ? `\n${' '.repeat(16)}${why}` : ''}`;
  });
  if (all.length > limit) shown.push(`... and ${all.length - limit} more: every one is in the reports`);
  return shown;
}
