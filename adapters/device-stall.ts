/**
 * A device that stops answering ends the run: a call that has not returned within its bound
 * means every later call on that device may block as well (a kernel module that oopsed with its
 * mutex held blocks every caller for good), so no later scenario could be trusted.
 *
 * Calls that give control back to the event loop are timed by adapters/bounded.ts. A call that
 * blocks the thread (the kernel adapter makes its system calls synchronously, at the speed of
 * the device) is timed by a watchdog thread, which needs no help from the blocked thread: each
 * call only bumps a counter in shared memory on its way in and out.
 *
 * Either way the stall is reported in the file named by `KBUS_STALL_FILE`, which the CLI watches
 * from a process that makes no device calls and so cannot be blocked: it ends the run and writes
 * the reports (cli/stopped-run.ts). A process left without anyone to end it (no such file, or the
 * CLI did not act in time) ends itself with `_exit`, the only exit a thread stuck in a device
 * does not hold up.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export const STALL_FILE_ENV = 'KBUS_STALL_FILE';

/** A call that did not answer. */
export interface Stall {
  /** The scenario that made it, when the call was made by one. */
  scenario?: string;
  /** e.g. `NEXTMSG on "bob"`. */
  operation: string;
  timeoutMs: number;
}

/** The one line a stopped run prints. */
export function stallLine({ scenario, operation, timeoutMs }: Stall): string {
  const where = scenario === undefined ? '' : ` in scenario "${scenario}"`;
  return `the device stopped answering: ${operation} did not answer within ${timeoutMs} ms${where}; the run was stopped`;
}

/**
 * Records the first stall of the run where the CLI looks for it (later ones add nothing), and
 * says whether there is a run to stop.
 */
export function reportStall(stall: Stall, file: string | undefined = process.env[STALL_FILE_ENV]): boolean {
  if (!file) return false;
  try {
    fs.writeFileSync(file, JSON.stringify(stall), { flag: 'wx' });
  } catch {
    // Another call, or another worker, stalled first.
  }
  return true;
}

export function readStall(file: string): Stall | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Stall;
  } catch {
    return undefined;
  }
}

/** Slots shared with the watchdog thread: a sequence (odd while a call is in progress), the call's operation id and bound in ms. */
export const SEQUENCE = 0;
export const OPERATION = 1;
export const BOUND = 2;

export interface WatchdogData {
  state: Int32Array;
  /** How often the watchdog looks: a stall is seen between its bound and its bound plus two of these. */
  tickMs: number;
  /** How long the CLI has, after a stall is reported, to end the run before the process ends itself. */
  graceMs: number;
  stallFile?: string;
}

export type WatchdogMessage = { operation: [number, string] } | { scenario: string };

class Watch {
  private readonly state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  /** Each operation's text goes to the watchdog once; calls then pass its number. */
  private readonly operationIds = new Map<string, number>();

  constructor(timeoutMs: number) {
    const data: WatchdogData = { state: this.state, tickMs: Math.max(1, Math.floor(timeoutMs / 10)), graceMs: timeoutMs, stallFile: process.env[STALL_FILE_ENV] };
    this.worker = new Worker(path.join(__dirname, 'device-watchdog.js'), { workerData: data });
    this.worker.unref();
  }

  enter(operation: string, ms: number): void {
    let id = this.operationIds.get(operation);
    if (id === undefined) {
      id = this.operationIds.size;
      this.operationIds.set(operation, id);
      this.post({ operation: [id, operation] });
    }
    Atomics.store(this.state, OPERATION, id);
    Atomics.store(this.state, BOUND, ms);
    Atomics.add(this.state, SEQUENCE, 1);
  }

  leave(): void {
    Atomics.add(this.state, SEQUENCE, 1);
  }

  post(message: WatchdogMessage): void {
    this.worker.postMessage(message);
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

let watch: Watch | undefined;
/** Adapters that asked for the watchdog and have not been disposed: it runs while there are any. */
let watchers = 0;
let currentScenario: string | undefined;

/** Starts the watchdog thread of this process unless it runs; `timeoutMs` is the usual bound of a call. */
export function watchBlockingCalls(timeoutMs: number): void {
  watchers++;
  if (watch) return;
  watch = new Watch(timeoutMs);
  if (currentScenario !== undefined) watch.post({ scenario: currentScenario });
}

/** Undoes one {@link watchBlockingCalls}: the last one ends the thread, and what it held open. */
export async function unwatchBlockingCalls(): Promise<void> {
  if (--watchers > 0 || !watch) return;
  const ending = watch;
  watch = undefined;
  await ending.stop();
}

/** Runs the synchronous part of a call under the watchdog's eye. */
export function watched<T>(operation: string, ms: number, call: () => T): T {
  if (!watch) return call();
  watch.enter(operation, ms);
  try {
    return call();
  } finally {
    watch.leave();
  }
}

/** Names the scenario whose calls follow, for the line a stall prints. */
export function scenarioBegins(name: string): void {
  currentScenario = name;
  watch?.post({ scenario: name });
}

export function scenarioInProgress(): string | undefined {
  return currentScenario;
}
