/**
 * Runs the compiled CLI as a user would, in a child process with a bound of its own, so that a
 * test of "the run ends" fails with a message rather than hanging the test run.
 */

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../cli/package';

export const BIN = path.join(PACKAGE_ROOT, 'bin', 'kbus-conformance.js');
export const FAULTY_ADAPTER = path.join(PACKAGE_ROOT, 'dist', 'test', 'fixtures', 'faulty-adapter.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** When the CLI's own process ended (its output may close later, with processes it left). */
  exitedAt: number;
}

/** Rejects, having killed the child, if it outlives `boundMs`. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; boundMs?: number }): Promise<CliRun> {
  const boundMs = options.boundMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    let exitedAt = 0;
    child.once('exit', () => (exitedAt = Date.now()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kbus-conformance ${args.join(' ')} still running after ${boundMs} ms`));
    }, boundMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, exitedAt });
    });
  });
}

export interface ScenarioOutcome {
  uri: string;
  line: number;
  name: string;
  tags: string[];
  outcome: string;
}

/** Runs the whole suite through the CLI with `args` and returns every scenario's outcome from the envelope. */
export function suiteOutcomes(args: string[]): ScenarioOutcome[] {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-reports-'));
  try {
    spawnSync(process.execPath, [BIN, '--quiet', '--reports', reports, ...args], { encoding: 'utf8', timeout: 300_000 });
    return (JSON.parse(fs.readFileSync(path.join(reports, 'kbus-conformance.json'), 'utf8')) as { scenarios: ScenarioOutcome[] }).scenarios;
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
}

/**
 * Capabilities only the in-process reference offers (a fresh device per scenario, a serial
 * counter set at will, a module reload), and /proc/kbus/stats: through a device they are skipped.
 */
const REFERENCE_ONLY = ['fresh-device', 'serial-counter', 'module-load'];

/**
 * Scenarios whose outcome through a device differs from the in-process reference's, leaving
 * out what only differs by capability: what only the reference gives, and what a
 * device with more abilities (bad pointers, a larger size limit) passes where the reference skips.
 */
export function outcomeDifferences(through: ScenarioOutcome[], inProcess: ScenarioOutcome[], how: string): string[] {
  const reference = new Map(inProcess.map((s) => [`${s.uri}:${s.line}`, s.outcome]));
  return through
    .filter((s) => !(s.outcome === 'skipped' && (REFERENCE_ONLY.some((c) => s.tags.includes(`@needs:${c}`)) || s.tags.includes('@PROC-03'))))
    .filter((s) => !(s.outcome === 'passed' && reference.get(`${s.uri}:${s.line}`) === 'skipped'))
    .filter((s) => s.outcome !== reference.get(`${s.uri}:${s.line}`))
    .map((s) => `${s.uri}:${s.line} ${s.name}: ${s.outcome} ${how}, ${reference.get(`${s.uri}:${s.line}`)} in-process`);
}

/** Processes still carrying `marker` (NAME=value) in their environment: what a stopped run left behind. */
export function survivors(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => {
      if (!/^\d+$/.test(p)) return false;
      try {
        return fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}
