/**
 * Starts the FUSE device server (fuse/main.ts) in a child process for tests: clients make
 * blocking system calls on the served files, so the server must not share their event loop.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fuseUnavailable } from '../fuse/mount';

export { fuseUnavailable };

export interface ServedDevices {
  readonly dir: string;
  readonly child: ChildProcess;
  device(n: number): string;
  /** SIGTERM, then the server's exit code once it has unmounted and exited. */
  stop(): Promise<number | null>;
}

const SERVER = path.join(__dirname, '../fuse/main.js');
const START_TIMEOUT_MS = 10_000;

export function startServer(
  args: string[] = [],
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-fuse-')),
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServedDevices> {
  const child = spawn(process.execPath, [SERVER, '--mount', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the FUSE server did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve({
        dir,
        child,
        device: (n) => path.join(dir, `kbus${n}`),
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          fs.rmdirSync(dir);
          return code;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the FUSE server exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** Runs a server that must refuse to start; resolves with its exit code and stderr. */
export function refusedStart(dir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [SERVER, '--mount', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.once('data', () => child.kill('SIGTERM')); // it started after all: stop it
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr: stderr.trim() })));
}
