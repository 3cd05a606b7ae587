/** The end-of-run table by area, the reasons behind skips, and what needs attention. */

import { firstLine, groupBy, isUnexpected, type Outcome, type ScenarioResult } from './outcomes';
import { displayPath } from './package';
import { skipHints } from './skip-hints';

const COLUMNS: { outcome: Outcome; title: string }[] = [
  { outcome: 'passed', title: 'passed' },
  { outcome: 'failed', title: 'failed' },
  { outcome: 'broken', title: 'broken' },
  { outcome: 'skipped', title: 'skipped' },
  { outcome: 'expected-failure', title: 'expected-failed' },
  { outcome: 'unexpected-pass', title: 'unexpected-pass' },
  { outcome: 'not-run', title: 'not-run' },
];

export type Counts = Record<Outcome, number>;

export function countOutcomes(results: readonly ScenarioResult[]): Counts {
  const counts = Object.fromEntries(COLUMNS.map((c) => [c.outcome, 0])) as Counts;
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** The not-run column appears only in runs where a known deviation kept a scenario from running. */
export function summaryTable(results: readonly ScenarioResult[]): string {
  const byArea = groupBy(results, (r) => r.area);
  const rows: [string, Counts][] = [...byArea.keys()].sort().map((area) => [area, countOutcomes(byArea.get(area)!)]);
  const total = countOutcomes(results);
  rows.push(['total', total]);
  const columns = COLUMNS.filter((c) => c.outcome !== 'not-run' || total['not-run'] > 0);

  const areaWidth = Math.max(4, ...rows.map(([a]) => a.length));
  const line = (first: string, cells: string[]) =>
    [first.padEnd(areaWidth), ...cells.map((c, i) => c.padStart(columns[i]!.title.length))].join('  ');
  const out = [line('area', columns.map((c) => c.title))];
  rows.forEach(([area, counts], i) => {
    if (i === rows.length - 1) out.push('-'.repeat(out[0]!.length));
    out.push(line(area, columns.map((c) => String(counts[c.outcome]))));
  });
  return out.join('\n');
}

/** Skipped scenarios grouped by the reason the Before hook gave, then those not run, by why. */
export function skipReasons(results: readonly ScenarioResult[]): string[] {
  const unrun = results.filter((r) => r.outcome === 'skipped' || r.outcome === 'not-run');
  const why = (r: ScenarioResult) =>
    r.outcome === 'skipped' ? `skipped\n${r.skipReason!}` : `not run\n${r.message!}${r.deviation ? ` (known deviation ${r.deviation})` : ''}`;
  return [...groupBy(unrun, why)].map(([key, rs]) => {
    const [what, reason] = key.split('\n');
    return `${what} ${rs.length}: ${reason}`;
  });
}

/** The scenarios that make the run fail, with where they are and why; the first `limit` of them. */
export function problems(results: readonly ScenarioResult[], limit = 25): string[] {
  const all = results.filter((r) => isUnexpected(r.outcome));
  const shown = all.slice(0, limit).map((r) => {
    const why = firstLine(r.message ?? '');
    return `${r.outcome.padEnd(15)} ${r.area}: ${r.name} (${displayPath(r.file)}:${r.line})${why ? `\n${' '.repeat(16)}${why}` : ''}`;
  });
  if (all.length > limit) shown.push(`... and ${all.length - limit} more: every one is in the reports`);
  return shown;
}

/** `conforming` only when at least one scenario ran and nothing unexpected happened. */
export type RunVerdict = 'conforming' | 'not-conforming' | 'no-scenario-ran';

export const VERDICT_HEADLINE: Record<RunVerdict, string> = {
  conforming: 'CONFORMING',
  'not-conforming': 'NOT CONFORMING',
  'no-scenario-ran': 'NOTHING TESTED (every scenario was skipped or not run)',
};

export interface SummaryInput {
  results: readonly ScenarioResult[];
  verdict: RunVerdict;
  implementation: string;
  /** As given: `reference`, `kernel` or a module's path; some skip hints are the kernel adapter's options. */
  adapter: string;
  /** What the run covered (cli/selection.ts); named in the verdict line when it was not the whole suite. */
  selection: string;
  partial: boolean;
  runHookFailures: readonly string[];
  /** Known-deviation entries that covered nothing this run selected. */
  unusedDeviations: readonly { entry: string; line: number }[];
  /** What the known deviations have to say beyond each scenario's outcome. */
  deviationNotes: readonly string[];
  reports: string[];
}

/** Everything printed once the run is over, quiet or not. */
export function renderSummary(s: SummaryInput): string {
  const out = ['', summaryTable(s.results), ''];
  const skips = skipReasons(s.results);
  out.push(...skips, ...skipHints(skips, s.adapter));
  const trouble = problems(s.results);
  if (trouble.length > 0) out.push('', 'Needs attention:', ...trouble);
  for (const failure of s.runHookFailures) out.push(`run hook failed: ${failure}`);
  for (const d of s.unusedDeviations) out.push(`note: known deviation ${d.entry} (line ${d.line}) covers no scenario selected in this run`);
  for (const note of s.deviationNotes) out.push(`note: ${note}`);
  out.push('', ...s.reports, '', verdictLine(s));
  return `${out.join('\n')}\n`;
}

function verdictLine(s: SummaryInput): string {
  const t = countOutcomes(s.results);
  const counts = [
    `${t.passed} passed`,
    t.failed && `${t.failed} failed`,
    t.broken && `${t.broken} broken`,
    t['unexpected-pass'] && `${t['unexpected-pass']} unexpectedly passed`,
    t['expected-failure'] && `${t['expected-failure']} failed as expected`,
    t.skipped && `${t.skipped} skipped`,
    t['not-run'] && `${t['not-run']} not run`,
  ].filter(Boolean);
  return `${VERDICT_HEADLINE[s.verdict]}: ${s.implementation}: ${counts.join(', ')}${s.partial ? `; selection: ${s.selection}` : ''}`;
}
