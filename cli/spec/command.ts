/**
 * `kbus-conformance spec`: the features rendered as the specification a reviewer reads (HTML
 * and Markdown), with a column of verdicts per implementation when given runs' result envelopes.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { requirements } from '../../requirements';
import { EXIT, UsageError } from '../exit-codes';
import { displayPath, PACKAGE_ROOT, SUITE_NAME, SUITE_VERSION } from '../package';
import { deviationNotes, ORIGINAL_MODULE_DEVIATIONS } from './deviation-notes';
import { counting, type SpecDocument } from './document';
import { readSpecification } from './features';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { column, readEnvelope } from './verdicts';

export const SPEC_HELP = `Usage: kbus-conformance spec [--results FILE...] [--out DIR]

Renders the specification (the features as areas, rules and their examples, the
requirements index, the original module's known deviations) as one self-contained
HTML file and as Markdown: DIR/specification.html and DIR/specification.md.

  --results FILE...   result envelopes (a run's kbus-conformance.json), one column
                      of verdicts per implementation, in the order given
  --out DIR           where the two files go (default ./reports)
  -h, --help          this text`;

export const SPEC_FILES = { html: 'specification.html', markdown: 'specification.md' };

export async function specCommand(argv: string[]): Promise<number> {
  const options = parseSpecArgs(argv);
  if (options === 'help') {
    process.stdout.write(`${SPEC_HELP}\n`);
    return EXIT.CONFORMING;
  }
  const columns = options.results.map((file) => column(file, readEnvelope(file)));
  const areas = readSpecification(PACKAGE_ROOT);
  const doc: SpecDocument = {
    title: 'The KBUS specification',
    subtitle: `${SUITE_NAME} ${SUITE_VERSION}; ${requirements.specRevision}`,
    areas,
    columns,
    deviations: deviationNotes(ORIGINAL_MODULE_DEVIATIONS, areas),
    deviationsFile: path.relative(PACKAGE_ROOT, ORIGINAL_MODULE_DEVIATIONS).split(path.sep).join('/'),
  };
  const html = path.join(options.out, SPEC_FILES.html);
  const markdown = path.join(options.out, SPEC_FILES.markdown);
  try {
    makeFolder(options.out);
    fs.writeFileSync(html, renderHtml(doc));
    fs.writeFileSync(markdown, renderMarkdown(doc));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`cannot write the specification to ${options.out}: ${why} (pass --out with a writable folder)`);
  }
  const against = columns.length > 0 ? `; verdicts of ${columns.map((c) => `${c.name} (${c.envelope.verdict})`).join(', ')}` : '';
  process.stdout.write(`Specification: ${displayPath(html)}\n               ${displayPath(markdown)}\n${counting(doc)}${against}\n`);
  return EXIT.CONFORMING;
}

/**
 * The folder and any missing parents, one level at a time: Node's recursive mkdir spins
 * forever on a path under /proc, where mkdir says ENOENT with the parent present.
 */
function makeFolder(dir: string): void {
  if (fs.existsSync(dir)) return;
  makeFolder(path.dirname(dir));
  fs.mkdirSync(dir);
}

function parseSpecArgs(argv: string[]): { results: string[]; out: string } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { results: { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`spec: ${(e as Error).message.split('\n')[0]} (see kbus-conformance spec --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  // `--results a.json b.json`: the files after the first are positionals to parseArgs.
  if (positionals.length > 0 && !values.results) {
    throw new UsageError(`spec: unexpected argument ${JSON.stringify(positionals[0])} (result envelopes follow --results)`);
  }
  if (values.out === '') throw new UsageError('spec: --out needs a folder');
  return { results: [...(values.results ?? []), ...positionals], out: path.resolve(values.out ?? 'reports') };
}
