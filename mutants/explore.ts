/**
 * `npm run mutants:explore`: explore against every mutant (fixed seed, a bounded budget each),
 * and for each difference found, the scenario it wrote is run with the suite's command: it
 * must fail (not break) on the mutant and pass on the reference. Prints the table; exits 1
 * when explore finds fewer than 80 % of the mutants or a scenario does not do its job.
 * `-- --budget SECONDS` (default 20) and `-- NAME...` for some mutants only.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAdapter as createReference } from '../adapters/reference';
import { KnownDeviations } from '../cli/deviations';
import { ExploreDeviations } from '../explore/deviations';
import { explore } from '../explore/explorer';
import { featureText } from '../explore/gherkin';
import { mutantModules } from './define';

const SEED = 20261202;
const REQUIRED_SHARE = 0.8;
const CLI = path.join(__dirname, '..', '..', 'bin', 'kbus-conformance.js');

interface Row {
  name: string;
  found: boolean;
  seconds: number;
  sessions: number;
  operations: number;
  shrunkTo?: number;
  onMutant?: string;
  onReference?: string;
}

/** The outcome of the one scenario in `feature` on `adapter`, as the suite's command reports it. */
function scenarioOutcome(adapter: string, feature: string): string {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-explore-check-'));
  try {
    spawnSync(process.execPath, [CLI, '--quiet', '--adapter', adapter, '--reports', reports, feature], { stdio: 'ignore', timeout: 120_000 });
    const envelope = JSON.parse(fs.readFileSync(path.join(reports, 'kbus-conformance.json'), 'utf8')) as { scenarios: { outcome: string }[] };
    return envelope.scenarios.map((s) => s.outcome).join(',') || 'none';
  } catch (e) {
    return `no result (${(e as Error).message.split('\n')[0]})`;
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const budgetAt = argv.indexOf('--budget');
  const budgetSeconds = budgetAt >= 0 ? Number(argv[budgetAt + 1]) : 20;
  if (!(budgetSeconds > 0)) {
    process.stderr.write('--budget needs a number of seconds above 0\n');
    return 2;
  }
  const only = argv.filter((a, i) => !a.startsWith('--') && (budgetAt < 0 || i !== budgetAt + 1));
  const mutants = mutantModules().filter((m) => only.length === 0 || only.includes(m.name));
  const out = path.resolve('reports', 'explore-mutants');
  fs.mkdirSync(out, { recursive: true });
  const rows: Row[] = [];
  for (const m of mutants) {
    const result = await explore({
      reference: createReference(),
      implementation: m.mutant.createAdapter({}),
      deviations: new ExploreDeviations(KnownDeviations.none()),
      seed: SEED,
      runs: Number.MAX_SAFE_INTEGER,
      budgetMs: budgetSeconds * 1000,
    });
    const row: Row = { name: m.name, found: !!result.difference, seconds: result.elapsedMs / 1000, sessions: result.tally.sessions, operations: result.tally.operations };
    if (result.difference) {
      const feature = path.join(out, `${m.name}.feature`);
      const replay = `npx kbus-conformance explore --adapter dist/mutants/${m.name}.js --seed ${SEED} --time-budget ${budgetSeconds}`;
      fs.writeFileSync(feature, featureText(result.difference, { seed: SEED, implementation: `mutant ${m.name}`, replay }));
      row.shrunkTo = result.difference.steps.length - 2;
      row.onMutant = scenarioOutcome(m.file, feature);
      row.onReference = scenarioOutcome('reference', feature);
    }
    rows.push(row);
    process.stdout.write(`${line(row)}\n`);
  }
  const found = rows.filter((r) => r.found);
  const good = found.filter((r) => r.onMutant === 'failed' && r.onReference === 'passed');
  const share = rows.length === 0 ? 0 : found.length / rows.length;
  process.stdout.write(
    `\nexplore found ${found.length} of ${rows.length} mutants (${(share * 100).toFixed(0)} %, ${REQUIRED_SHARE * 100} % needed) with seed ${SEED} and ${budgetSeconds} s each; ` +
      `${good.length} of ${found.length} scenarios fail on their mutant and pass on the reference (written to ${path.relative(process.cwd(), out)}/)\n`,
  );
  return share >= REQUIRED_SHARE && good.length === found.length ? 0 : 1;
}

function line(r: Row): string {
  const what = r.found ? `found, shrunk to ${r.shrunkTo} ops; scenario: ${r.onMutant} on the mutant, ${r.onReference} on the reference` : 'NOT FOUND';
  return `${r.name.padEnd(36)} ${r.seconds.toFixed(1).padStart(5)} s ${String(r.sessions).padStart(6)} sessions  ${what}`;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`mutant exploration failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
