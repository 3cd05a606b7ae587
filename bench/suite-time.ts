/**
 * How long the whole suite takes against the reference as a user runs it: a fresh
 * `kbus-conformance --quiet` process each time, start-up and reports included. The target is
 * at most 5 s on the project's 2-core machines. `node dist/bench/suite-time.js [runs]`.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResultEnvelope } from '../cli/envelope';
import { PACKAGE_ROOT } from '../cli/package';
import { ENVELOPE_FILE } from '../cli/reports';

const TARGET_SECONDS = 5;
const CLI = path.join(PACKAGE_ROOT, 'bin', 'kbus-conformance.js');

function timeRun(args: string[], reports: string): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, ...args, '--reports', reports], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`kbus-conformance ${args.join(' ')} exited ${run.status}: ${run.stderr.trim().split('\n')[0]}`);
  return seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const runs = Number(process.argv[2] ?? 5);
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-suite-time-'));
  try {
    const startUp = median([1, 2, 3].map(() => timeRun(['--help'], reports)));
    const suite = Array.from({ length: runs }, () => timeRun(['--quiet'], reports));
    const scenarios = (JSON.parse(fs.readFileSync(path.join(reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope).scenarios.length;
    const best = Math.min(...suite);
    const mid = median(suite);
    console.log(`whole suite against the reference, ${scenarios} scenarios, ${runs} runs on ${os.cpus().length} cores`);
    console.log(`  start-up alone (--help):   ${startUp.toFixed(2)} s`);
    console.log(`  whole run, best / median:  ${best.toFixed(2)} s / ${mid.toFixed(2)} s (worst ${Math.max(...suite).toFixed(2)} s)`);
    console.log(`  target ≤ ${TARGET_SECONDS} s: ${mid <= TARGET_SECONDS ? 'holds' : 'FAILS'} (median)`);
    process.exitCode = mid <= TARGET_SECONDS ? 0 : 1;
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
}

main();
