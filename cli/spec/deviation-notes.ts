/**
 * The original module's known deviations as the specification lists them: each entry with the
 * reason its file gives in the comment above it, and the rules it touches. The entries are read
 * by the same reader a run uses, so the document cannot list what a run would refuse.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readKnownDeviations } from '../deviations';
import { PACKAGE_ROOT } from '../package';
import type { Area, Rule } from './features';

export const ORIGINAL_MODULE_DEVIATIONS = path.join(PACKAGE_ROOT, 'adapters', 'kernel', 'known-deviations', 'original-module.txt');

export interface DeviationNote {
  entry: string;
  line: number;
  reason: string;
  rules: Rule[];
}

export function deviationNotes(file: string, areas: readonly Area[]): DeviationNote[] {
  const rules = areas.flatMap((a) => a.rules);
  const scenarios = rules.flatMap((r) => r.examples.flatMap((e) => e.runs));
  const list = readKnownDeviations(file, { scenarios, wholeSuite: true });
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return list.entries.map(({ entry, line }) => ({
    entry,
    line,
    reason: reasonAbove(lines, line),
    rules: rules.filter((r) => r.ids.includes(entry) || r.examples.some((e) => e.runs.some((s) => s.name === entry))),
  }));
}

/**
 * The comment lines of the paragraph an entry stands in (entries listed together share
 * theirs), and a comment at the end of its own line.
 */
function reasonAbove(lines: readonly string[], line: number): string {
  const comments: string[] = [];
  for (let i = line - 2; i >= 0 && lines[i]!.trim() !== ''; i--) {
    const comment = /^\s*#(.*)$/.exec(lines[i]!)?.[1];
    if (comment !== undefined) comments.unshift(comment.trim());
  }
  const trailing = /#(.*)$/.exec(lines[line - 1]!)?.[1]?.trim();
  return [...comments, ...(trailing ? [trailing] : [])].join(' ');
}
