/**
 * The specification as Markdown (GitHub's flavour), for reading in a repository or a review:
 * the same sections as the HTML, anchors written out so links do not depend on the renderer.
 */

import { counting, requirementRows, ruleName, rulesOf, runNote, verdictCounts, type SpecDocument } from './document';
import type { Area, Rule } from './features';
import { VERDICT_LABEL, type Cell, type Column } from './verdicts';

/** Table cells: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const anchor = (id: string) => `<a id="${id}"></a>`;
const verdict = (c: Cell) => (c.verdict === 'passed' || c.verdict === 'not-run' ? VERDICT_LABEL[c.verdict] : `**${VERDICT_LABEL[c.verdict]}**`);

export function renderMarkdown(doc: SpecDocument): string {
  const out = [`# ${doc.title}`, '', `${doc.subtitle}. ${counting(doc)}.`, ''];
  if (doc.columns.length > 0) out.push(...report(doc));
  for (const a of doc.areas) out.push(...area(a, doc.columns));
  out.push(...requirementsIndex(doc), ...deviations(doc));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}


function report(doc: SpecDocument): string[] {
  const rules = rulesOf(doc);
  return [
    `${anchor('report')}`,
    '## Implementation report',
    '',
    `| Area | Rule | ${doc.columns.map((c) => `${cell(c.name)} (${cell(runNote(c))})`).join(' | ')} |`,
    `|---|---|${doc.columns.map(() => '---|').join('')}`,
    `| | **${rules.length} rules** | ${doc.columns.map((c) => `**${cell(verdictCounts(c, rules))}**`).join(' | ')} |`,
    ...doc.areas.flatMap((a) => a.rules.map((r) => `| ${a.area} | ${ruleLabel(r)} | ${doc.columns.map((c) => cell(verdict(c.cell(r)))).join(' | ')} |`)),
    '',
  ];
}

/** A derived rule's name is only its ids, so its statement follows. */
function ruleLabel(r: Rule): string {
  const link = `[${cell(ruleName(r))}](#${r.anchor})`;
  return r.written ? link : `${link} ${cell(r.statement)}`;
}

function area(a: Area, columns: readonly Column[]): string[] {
  return [
    anchor(a.anchor),
    `## ${a.title}`,
    '',
    `Area \`${a.area}\`, \`${a.uri}\``,
    '',
    ...(a.description ? [a.description, ''] : []),
    ...(a.background ? gherkin(a.background) : []),
    ...a.rules.flatMap((r) => rule(r, columns)),
  ];
}

function rule(r: Rule, columns: readonly Column[]): string[] {
  const meta = [
    r.ids.map((id) => `[${id}](#req-${id})`).join(', '),
    r.levels.length > 0 ? `level ${r.levels.join(', ')}` : '',
    r.sections.length > 0 ? `spec section ${r.sections.map((s) => `\`${s}\``).join(', ')}` : '',
  ].filter((m) => m);
  return [
    anchor(r.anchor),
    `### ${r.title}`,
    '',
    `*${meta.join(' · ')}*`,
    '',
    ...(r.statement ? [r.statement, ''] : []),
    ...columns.map((c) => {
      const v = c.cell(r);
      return `- ${verdict(v)}: ${c.name}${v.detail ? ` (${v.detail})` : ''}`;
    }),
    '',
    ...(r.background ? gherkin(r.background) : []),
    ...r.examples.flatMap((e) => gherkin(e.text)),
  ];
}

function gherkin(text: string): string[] {
  return ['```gherkin', text, '```', ''];
}

function requirementsIndex(doc: SpecDocument): string[] {
  return [
    anchor('requirements'),
    '## Requirements index',
    '',
    '| Id | Level | Section | Behaviour | Rules |',
    '|---|---|---|---|---|',
    ...requirementRows(doc).map(({ behaviour: b, rules }) => {
      const where = b.untestable ? `untestable: ${b.untestable}` : rules.map((r) => `[${r.title}](#${r.anchor})`).join(', ') || 'no rule';
      return `| ${anchor(`req-${b.id}`)}${b.id} | ${b.level} | \`${b.spec}\` | ${cell(b.summary)} | ${cell(where)} |`;
    }),
    '',
  ];
}

function deviations(doc: SpecDocument): string[] {
  return [
    anchor('deviations'),
    '## Known deviations of the original module',
    '',
    `Listed in \`${doc.deviationsFile}\`; the suite asserts the specification's promise there.`,
    '',
    ...doc.deviations.map((d) => `- \`${d.entry}\`${d.rules.map((r) => ` [${r.title}](#${r.anchor})`).join(',')}: ${d.reason || 'no reason given'}`),
    '',
  ];
}
