/**
 * Soak: runs the whole suite N times serially and N times with --parallel 2, each through the
 * CLI as CI runs it, and reports every scenario whose outcome was not the same in every run.
 * Zero changed outcomes is the only acceptable figure: a gate that flakes gets switched off.
 *
 *   npm run soak                          20 + 20 runs against the reference
 *   npm run soak -- --runs 5              5 + 5
 *   npm run soak -- --runs 5 -- --adapter kernel --device /dev/kbus0
 *
 * Exits 1 when an outcome changed or a run could not finish.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ResultEnvelope } from '../cli/envelope';
import { ENVELOPE_FILE } from '../cli/reports';
import { runCli } from '../test/cli-run';

const DEFAULT_RUNS = 20;
const MODES = [
  { name: 'serial', args: [] as string[] },
  { name: 'parallel 2', args: ['--parallel', '2'] },
];
/** A whole run takes well under a minute; a hung one must not hold the soak for ever. */
const RUN_BOUND_MS = 10 * 60_000;

interface Seen {
  /** Outcome (with the message of a failure) → in how many runs. */
  outcomes: Map<string, number>;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { runs: { type: 'string' } }, allowPositionals: true });
  const runs = Number(values.runs ?? DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number, 1 or more (got "${values.runs}")`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-soak-'));
  const seen = new Map<string, Seen>();
  let done = 0;
  try {
    for (const mode of MODES) {
      for (let i = 1; i <= runs; i++) {
        const reports = path.join(dir, `${mode.name.replace(' ', '-')}-${i}`);
        const r = await runCli(['--quiet', '--reports', reports, ...mode.args, ...positionals], { cwd: dir, boundMs: RUN_BOUND_MS });
        if (r.code === 2 || !fs.existsSync(path.join(reports, ENVELOPE_FILE))) {
          process.stderr.write(`soak: ${mode.name} run ${i} could not run (exit ${r.code ?? r.signal}):\n${r.stderr}`);
          return 1;
        }
        const envelope = JSON.parse(fs.readFileSync(path.join(reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
        for (const s of envelope.scenarios) {
          // An outline's examples share its name; each example row has its own line.
          const where = `${s.name} (${s.uri}:${s.line})`;
          const entry = seen.get(where) ?? { outcomes: new Map<string, number>() };
          const outcome = s.message ? `${s.outcome}: ${s.message.split('\n')[0]}` : s.outcome;
          entry.outcomes.set(outcome, (entry.outcomes.get(outcome) ?? 0) + 1);
          seen.set(where, entry);
        }
        done++;
        const t = envelope.totals;
        process.stdout.write(`${mode.name} ${i}/${runs}: exit ${r.code}, ${t.passed} passed, ${t.failed} failed, ${t.broken} broken, ${t.skipped} skipped (${(r.ms / 1000).toFixed(1)} s)\n`);
        fs.rmSync(reports, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // A scenario missing from some runs changed too: it did not run every time.
  const changed = [...seen].filter(([, s]) => s.outcomes.size > 1 || [...s.outcomes.values()].reduce((a, b) => a + b, 0) !== done);
  for (const [name, s] of changed) {
    process.stdout.write(`changed: ${name}: ${[...s.outcomes].map(([o, n]) => `${o} ×${n}`).join(', ')}\n`);
  }
  process.stdout.write(`soak: ${done} runs (${runs} serial, ${runs} with --parallel 2), ${seen.size} scenarios, ${changed.length} changed outcomes\n`);
  return changed.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`soak: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
