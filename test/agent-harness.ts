/**
 * Builds agent/kbus-agent.c for tests, with the compiler and flags a test asks for, and says
 * why when it cannot (no such compiler) so that the test skips with the reason.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const AGENT_SOURCE = path.join(__dirname, '../../agent/kbus-agent.c');
export const WARNINGS = ['-Wall', '-Wextra', '-Werror'];

export type Build = { binary: string; skip?: undefined } | { binary?: undefined; skip: string };

/** Whether `compiler` can be run at all. */
export function compilerMissing(compiler: string): string | undefined {
  const probe = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
  return probe.error ? `no ${compiler}: ${probe.error.message}` : undefined;
}

/**
 * Compiles the agent; throws with the compiler's messages when the source does not build
 * (a warning is an error), skips when the compiler itself is missing.
 */
export function buildAgent(compiler: string, flags: string[] = [], name = 'kbus-agent'): Build {
  const missing = compilerMissing(compiler);
  if (missing) return { skip: missing };
  const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-agent-')), name);
  const cc = spawnSync(compiler, ['-O2', ...WARNINGS, ...flags, '-o', binary, AGENT_SOURCE], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`${compiler} ${flags.join(' ')} failed:\n${cc.stderr}`);
  return { binary };
}

export function removeBuild(build: Build): void {
  if (build.binary) fs.rmSync(path.dirname(build.binary), { recursive: true, force: true });
}
