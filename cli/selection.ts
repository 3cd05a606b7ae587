/** Which scenarios a run covers: the user's tag expression and `--area` names combined. */

import { UsageError } from './exit-codes';
import { displayPath } from './package';

/** `names,wild*` → `@area:names or @area:wildcards`, checked against the areas the suite has. */
export function areaExpression(patterns: string[], knownAreas: Iterable<string>): string | undefined {
  if (patterns.length === 0) return undefined;
  const areas = [...new Set(knownAreas)].sort();
  const chosen = new Set<string>();
  for (const pattern of patterns) {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    const matched = areas.filter((a) => re.test(a));
    if (matched.length === 0) throw new UsageError(`--area ${pattern} matches no area (areas: ${areas.join(', ')})`);
    for (const a of matched) chosen.add(a);
  }
  return [...chosen].map((a) => `@area:${a}`).join(' or ');
}

/** Both filters must hold; either may be absent. */
export function tagExpression(tags: string | undefined, areas: string | undefined): string {
  const parts = [tags?.trim(), areas].filter((p): p is string => !!p);
  return parts.length > 1 ? parts.map((p) => `(${p})`).join(' and ') : (parts[0] ?? '');
}

export interface Selection {
  /** `all 450 scenarios`, or `71 of 450 scenarios (--area names)`. */
  text: string;
  /** Whether the user narrowed the run (areas, tags or feature paths). */
  partial: boolean;
}

/** What a run covered, as the user asked for it. */
export function describeSelection(asked: { areas: string[]; tags?: string; paths: string[] }, selected: number, total: number): Selection {
  const by = [
    asked.areas.length > 0 ? `--area ${asked.areas.join(',')}` : '',
    asked.tags?.trim() ? `--tags ${JSON.stringify(asked.tags.trim())}` : '',
    ...asked.paths.map((p) => displayPath(p)),
  ].filter(Boolean);
  const scenarios = `scenario${total === 1 ? '' : 's'}`;
  return by.length === 0 ? { text: `all ${total} ${scenarios}`, partial: false } : { text: `${selected} of ${total} ${scenarios} (${by.join(' ')})`, partial: true };
}
