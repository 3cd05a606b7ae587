/**
 * An implementation's column in the rendered specification: each rule's verdict, taken from a
 * run's result envelope. A rule takes its worst example's outcome, as a requirement does in the
 * envelope; a rule none of whose examples ran is *not run*.
 */

import * as fs from 'node:fs';
import { ENVELOPE_FORMAT, SEVERITY, type ResultEnvelope } from '../envelope';
import { UsageError } from '../exit-codes';
import { firstLine, type Outcome } from '../outcomes';
import type { Rule } from './features';

export type RuleVerdict = Exclude<Outcome, 'expected-failure'> | 'known-deviation' | 'not-run';

export const VERDICT_LABEL: Record<RuleVerdict, string> = {
  passed: 'passed',
  failed: 'failed',
  broken: 'broken',
  'unexpected-pass': 'unexpected pass',
  'known-deviation': 'known deviation',
  skipped: 'skipped',
  'not-run': 'not run',
};

/** The order verdicts are counted in a summary row: the ones needing attention first. */
export const VERDICT_ORDER: readonly RuleVerdict[] = ['failed', 'broken', 'unexpected-pass', 'known-deviation', 'passed', 'skipped', 'not-run'];

export interface Cell {
  verdict: RuleVerdict;
  /** Why: the failing example and its message, the skip reason, the deviation entry. */
  detail?: string;
}

export interface Column {
  /** The implementation's name as the run gave it. */
  name: string;
  file: string;
  envelope: ResultEnvelope;
  cell(rule: Rule): Cell;
  /** Rules by verdict. */
  counts(rules: readonly Rule[]): Map<RuleVerdict, number>;
}

export function readEnvelope(file: string): ResultEnvelope {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`results ${file}: ${why}`);
  }
  let envelope: Partial<ResultEnvelope>;
  try {
    envelope = JSON.parse(text) as Partial<ResultEnvelope>;
  } catch {
    throw new UsageError(`results ${file}: not JSON (give the kbus-conformance.json a run wrote)`);
  }
  if (envelope?.format !== ENVELOPE_FORMAT || !Array.isArray(envelope.scenarios) || !envelope.implementation) {
    throw new UsageError(`results ${file}: not a result envelope of format ${ENVELOPE_FORMAT} (give the kbus-conformance.json a run wrote)`);
  }
  return envelope as ResultEnvelope;
}

export function column(file: string, envelope: ResultEnvelope): Column {
  // Scenario names are unique in the suite, but an outline's rows share theirs.
  const byName = new Map<string, ResultEnvelope['scenarios']>();
  for (const s of envelope.scenarios) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const cell = (rule: Rule): Cell => {
    const names = new Set(rule.examples.flatMap((e) => e.runs.map((r) => r.name)));
    const ran = [...names].flatMap((n) => byName.get(n) ?? []);
    const worst = SEVERITY.find((o) => ran.some((r) => r.outcome === o));
    if (!worst) return { verdict: 'not-run' };
    const first = ran.find((r) => r.outcome === worst)!;
    switch (worst) {
      case 'failed':
      case 'broken':
      case 'unexpected-pass':
        return { verdict: worst, detail: `${first.name}: ${firstLine(first.message ?? worst)}` };
      case 'expected-failure':
        return { verdict: 'known-deviation', detail: `listed as ${first.deviation}` };
      case 'not-run':
        return { verdict: 'not-run', detail: `${first.name}: ${firstLine(first.message ?? 'not run')}` };
      case 'skipped':
        return { verdict: 'skipped', detail: first.skipReason ?? 'skipped' };
      case 'passed': {
        const skipped = ran.filter((r) => r.outcome === 'skipped');
        return skipped.length === 0 ? { verdict: 'passed' } : { verdict: 'passed', detail: `${skipped.length} of ${ran.length} skipped: ${skipped[0]!.skipReason ?? 'skipped'}` };
      }
    }
  };
  return {
    name: envelope.implementation.name,
    file,
    envelope,
    cell,
    counts: (rules) => {
      const counts = new Map<RuleVerdict, number>();
      for (const rule of rules) {
        const { verdict } = cell(rule);
        counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      }
      return counts;
    },
  };
}
