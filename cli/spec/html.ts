/**
 * The specification as one HTML file: no script, no fetches, its style inline, readable on
 * screen and on paper. Verdicts are words as well as colours, so they survive a grey printer.
 */

import { counting, requirementRows, ruleName, rulesOf, runNote, verdictCounts, type SpecDocument } from './document';
import type { Area, Rule } from './features';
import { VERDICT_LABEL, type Cell, type Column } from './verdicts';

const STYLE = `
:root { --passed: #1a7f37; --failed: #cf222e; --broken: #bc4c00; --unexpected-pass: #8250df; --known-deviation: #9a6700; --skipped: #57606a; --not-run: #8c959f; }
body { font: 15px/1.5 system-ui, sans-serif; color: #1f2328; max-width: 72rem; margin: 0 auto; padding: 1rem 2rem; }
h1 { margin-bottom: 0; } h2 { border-bottom: 1px solid #d0d7de; margin-top: 2.5rem; } h3 { margin: 1.5rem 0 .25rem; font-size: 1.1rem; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
.subtitle, .meta, .where { color: #59636e; } .meta { margin: 0; font-size: .9em; }
.statement { margin: .4rem 0; font-size: 1.02em; }
pre.gherkin { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem .8rem; overflow-x: auto; font-size: 13px; line-height: 1.4; white-space: pre-wrap; }
section.rule { border-left: 3px solid #d0d7de; padding-left: 1rem; margin: 1.5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; } tr.summary td { font-weight: 600; background: #f6f8fa; }
.v { display: inline-block; min-width: 6.5em; padding: 0 .4em; border-radius: 4px; color: #fff; font-size: 13px; font-weight: 600; text-align: center; }
.v.passed { background: var(--passed); } .v.failed { background: var(--failed); } .v.broken { background: var(--broken); }
.v.unexpected-pass { background: var(--unexpected-pass); } .v.known-deviation { background: var(--known-deviation); }
.v.skipped { background: var(--skipped); } .v.not-run { background: none; color: var(--not-run); border: 1px dashed var(--not-run); }
ul.verdicts { list-style: none; padding: 0; margin: .4rem 0; } ul.verdicts li { margin: .15rem 0; }
.detail { color: #59636e; font-size: .9em; }
code { font-size: .92em; background: #f6f8fa; padding: 0 .25em; border-radius: 3px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.rule, tr, pre.gherkin { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  section.area { break-before: page; }
}
`;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Gherkin descriptions break lines where the file did; the page breaks them where it fits. */
const paragraphs = (text: string, className: string) =>
  text ? text.split(/\n\s*\n/).map((p) => `<p class="${className}">${escape(p.replace(/\s*\n\s*/g, ' '))}</p>`).join('\n') : '';

export function renderHtml(doc: SpecDocument): string {
  const body = [
    `<header><h1>${escape(doc.title)}</h1><p class="subtitle">${escape(doc.subtitle)}<br>${escape(counting(doc))}</p></header>`,
    contents(doc),
    doc.columns.length > 0 ? report(doc) : '',
    `<main>${doc.areas.map((a) => area(a, doc.columns)).join('\n')}</main>`,
    requirementsIndex(doc),
    deviations(doc),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.filter((b) => b).join('\n')}
</body>
</html>
`;
}

function contents(doc: SpecDocument): string {
  const items = [
    ...(doc.columns.length > 0 ? [`<li><a href="#report">Implementation report</a></li>`] : []),
    ...doc.areas.map((a) => `<li><a href="#${a.anchor}">${escape(a.title)}</a> <span class="meta">(${a.rules.length} rules)</span></li>`),
    `<li><a href="#requirements">Requirements index</a></li>`,
    `<li><a href="#deviations">Known deviations of the original module</a></li>`,
  ];
  return `<nav id="contents"><h2>Contents</h2><ol>${items.join('')}</ol></nav>`;
}

const badge = (c: Cell) => `<span class="v ${c.verdict}"${c.detail ? ` title="${escape(c.detail)}"` : ''}>${VERDICT_LABEL[c.verdict]}</span>`;


function report(doc: SpecDocument): string {
  const rules = rulesOf(doc);
  const head = doc.columns.map((c) => `<th>${escape(c.name)}<br><span class="meta">${escape(runNote(c))}</span></th>`).join('');
  const rows = doc.areas.flatMap((a) =>
    a.rules.map((r, i) => {
      const areaCell = i === 0 ? `<td rowspan="${a.rules.length}"><a href="#${a.anchor}">${escape(a.area)}</a></td>` : '';
      return `<tr>${areaCell}<td>${ruleLabel(r)}</td>${doc.columns.map((c) => `<td>${badge(c.cell(r))}</td>`).join('')}</tr>`;
    }),
  );
  return `<section id="report"><h2>Implementation report</h2>
<p>Each rule's verdict is its worst example's: failed, broken, unexpected pass, known deviation, passed, skipped (all its examples need a capability the implementation lacks); not run when the run's selection left it out. Hover a verdict for its reason.</p>
<table>
<thead><tr><th>Area</th><th>Rule</th>${head}</tr>
<tr class="summary"><td colspan="2">${rules.length} rules</td>${doc.columns.map((c) => `<td>${escape(verdictCounts(c, rules))}</td>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></section>`;
}

/** A derived rule's name is only its ids, so its statement follows. */
function ruleLabel(r: Rule): string {
  const link = `<a href="#${r.anchor}">${escape(ruleName(r))}</a>`;
  return r.written ? link : `${link} <span class="detail">${escape(r.statement)}</span>`;
}

function area(a: Area, columns: readonly Column[]): string {
  return `<section class="area" id="${a.anchor}">
<h2>${escape(a.title)}</h2>
<p class="where">Area <code>${escape(a.area)}</code>, <code>${escape(a.uri)}</code></p>
${paragraphs(a.description, 'description')}
${a.background ? `<pre class="gherkin">${escape(a.background)}</pre>` : ''}
${a.rules.map((r) => rule(r, columns)).join('\n')}
</section>`;
}

function rule(r: Rule, columns: readonly Column[]): string {
  const meta = [
    r.ids.map((id) => `<a href="#req-${id}">${id}</a>`).join(', '),
    r.levels.length > 0 ? `level ${r.levels.join(', ')}` : '',
    r.sections.length > 0 ? `spec section ${r.sections.map((s) => `<code>${escape(s)}</code>`).join(', ')}` : '',
    `${r.examples.length} example${r.examples.length === 1 ? '' : 's'}`,
  ].filter((m) => m);
  const verdicts = columns.map((c) => {
    const cell = c.cell(r);
    return `<li>${badge(cell)} ${escape(c.name)}${cell.detail ? ` <span class="detail">${escape(cell.detail)}</span>` : ''}</li>`;
  });
  return `<section class="rule" id="${r.anchor}">
<h3><a href="#${r.anchor}">${escape(r.title)}</a></h3>
<p class="meta">${meta.join(' · ')}</p>
${paragraphs(r.statement, 'statement')}
${verdicts.length > 0 ? `<ul class="verdicts">${verdicts.join('')}</ul>` : ''}
${r.background ? `<pre class="gherkin">${escape(r.background)}</pre>` : ''}
${r.examples.map((e) => `<pre class="gherkin" title="${escape(e.where)}">${escape(e.text)}</pre>`).join('\n')}
</section>`;
}

function requirementsIndex(doc: SpecDocument): string {
  const rows = requirementRows(doc).map(({ behaviour: b, rules }) => {
    const where = b.untestable
      ? `untestable: ${escape(b.untestable)}`
      : rules.length > 0
        ? rules.map((r) => `<a href="#${r.anchor}">${escape(r.title)}</a>`).join(', ')
        : 'no rule';
    return `<tr id="req-${b.id}"><td>${b.id}</td><td>${b.level}</td><td><code>${b.spec}</code></td><td>${escape(b.summary)}</td><td>${where}</td></tr>`;
  });
  return `<section id="requirements"><h2>Requirements index</h2>
<p>Every behaviour of the catalogue (<code>requirements/index.json</code>), its level, spec section, and the rules that formalise it.</p>
<table><thead><tr><th>Id</th><th>Level</th><th>Section</th><th>Behaviour</th><th>Rules</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

function deviations(doc: SpecDocument): string {
  const items = doc.deviations.map(
    (d) => `<dt><code>${escape(d.entry)}</code>${d.rules.map((r) => ` <a href="#${r.anchor}">${escape(r.title)}</a>`).join(',')}</dt><dd>${escape(d.reason || 'no reason given')}</dd>`,
  );
  return `<section id="deviations"><h2>Known deviations of the original module</h2>
<p>Where the original kernel module breaks a promise of the specification, the suite asserts the promise and lists the module's deviation in <code>${escape(doc.deviationsFile)}</code>; a run against the module given that file counts these as known deviations.</p>
<dl>${items.join('\n')}</dl></section>`;
}
