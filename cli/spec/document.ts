/** What the rendered specification holds, whatever its format. */

import { requirements, type Behaviour } from '../../requirements';
import type { DeviationNote } from './deviation-notes';
import type { Area, Rule } from './features';
import { VERDICT_LABEL, VERDICT_ORDER, type Column } from './verdicts';

export interface SpecDocument {
  title: string;
  /** Suite name and version, spec revision. */
  subtitle: string;
  areas: Area[];
  /** One per `--results` envelope, in the order given. */
  columns: Column[];
  deviations: DeviationNote[];
  /** The known-deviations file, as a reader can find it. */
  deviationsFile: string;
}

export const rulesOf = (doc: SpecDocument): Rule[] => doc.areas.flatMap((a) => a.rules);

/** The requirements index, each behaviour with the rules that formalise it. */
export function requirementRows(doc: SpecDocument): { behaviour: Behaviour; rules: Rule[] }[] {
  const rules = rulesOf(doc);
  return requirements.behaviours.map((b) => ({ behaviour: b, rules: rules.filter((r) => r.ids.includes(b.id)) }));
}

export function counting(doc: SpecDocument): string {
  const rules = rulesOf(doc);
  const examples = rules.reduce((n, r) => n + r.examples.length, 0);
  return `${doc.areas.length} areas, ${rules.length} rules, ${examples} examples, ${requirements.behaviours.length} requirements`;
}

/** When and on what selection a column's run was made. */
export function runNote(column: Column): string {
  const { run, verdict } = column.envelope;
  return `${verdict}; ${run.started.slice(0, 16).replace('T', ' ')} UTC${run.tagExpression ? `; selection ${run.tagExpression}` : ''}`;
}

/** A column's summary: how many rules got each verdict, those needing attention first. */
export function verdictCounts(column: Column, rules: readonly Rule[]): string {
  const counts = column.counts(rules);
  return VERDICT_ORDER.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${VERDICT_LABEL[v]}`).join(', ');
}

/** How the report table names a rule: a Rule by its ids and name; a derived rule is its ids. */
export function ruleName(r: Rule): string {
  return r.written ? [r.ids.join(', '), r.title].filter((t) => t).join(': ') : r.title;
}
