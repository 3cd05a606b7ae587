/** Scenarios and Backgrounds printed back as Gherkin, tables aligned, for people to read. */

import type { BackgroundAst, RowAst as Row, ScenarioAst, StepAst as Step } from './features';

const INDENT = '  ';

/** `showTag` says which of the scenario's own tags are worth a line above it. */
export function scenarioText(s: ScenarioAst, showTag: (tag: string) => boolean): string {
  const lines: string[] = [];
  const tags = s.tags.map((t) => t.name).filter(showTag);
  if (tags.length > 0) lines.push(tags.join(' '));
  lines.push(`${s.keyword}: ${s.name}`, ...description(s.description), ...steps(s.steps));
  for (const e of s.examples) {
    lines.push('');
    const exampleTags = e.tags.map((t) => t.name).filter(showTag);
    if (exampleTags.length > 0) lines.push(`${INDENT}${exampleTags.join(' ')}`);
    lines.push(`${INDENT}${e.keyword}:${e.name ? ` ${e.name}` : ''}`);
    lines.push(...table([...(e.tableHeader ? [e.tableHeader] : []), ...e.tableBody], INDENT.repeat(2)));
  }
  return lines.join('\n');
}

export function backgroundText(b: BackgroundAst): string {
  return [`${b.keyword}:${b.name ? ` ${b.name}` : ''}`, ...description(b.description), ...steps(b.steps)].join('\n');
}

function description(text: string): string[] {
  return text.trim() ? text.split('\n').map((l) => `${INDENT}${l.trim()}`) : [];
}

function steps(list: readonly Step[]): string[] {
  return list.flatMap((step) => {
    const lines = [`${INDENT}${step.keyword}${step.text}`];
    if (step.dataTable) lines.push(...table(step.dataTable.rows, INDENT.repeat(2)));
    if (step.docString) {
      const { delimiter, mediaType, content } = step.docString;
      const at = INDENT.repeat(2);
      lines.push(`${at}${delimiter}${mediaType ?? ''}`, ...content.split('\n').map((l) => `${at}${l}`), `${at}${delimiter}`);
    }
    return lines;
  });
}

/** Cells written back as the parser read them: `|`, `\` and line breaks escaped. */
function table(rows: readonly Row[], indent: string): string[] {
  const cells = rows.map((r) => r.cells.map((c) => c.value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n')));
  const widths = cells.reduce<number[]>((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return cells.map((row) => `${indent}| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
}
