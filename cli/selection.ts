/** Which scenarios a run covers: the user's tag expression and `--area` names combined. */

import { UsageError } from './exit-codes';

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
