/**
 * The watchdog thread of adapters/device-stall.ts: sees a call that has been in progress longer
 * than its bound while the thread that made it is blocked (or gone, if the kernel killed it).
 */

import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { exitNow } from './kernel/libc';
import { BOUND, OPERATION, reportStall, SEQUENCE, stallLine, type WatchdogData, type WatchdogMessage } from './device-stall';

const { state, tickMs, graceMs, stallFile } = workerData as WatchdogData;
const operations = new Map<number, string>();
let scenario: string | undefined;

parentPort!.on('message', (m: WatchdogMessage) => {
  if ('operation' in m) operations.set(...m.operation);
  else scenario = m.scenario;
});

/** Ends the process from this thread with the one line, as no one else will. */
function endProcess(line: string): void {
  fs.writeSync(2, `kbus-conformance: ${line}\n`);
  try {
    exitNow(1);
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}

let seen = Atomics.load(state, SEQUENCE);
let since = Date.now();

const ticker = setInterval(() => {
  const sequence = Atomics.load(state, SEQUENCE);
  const now = Date.now();
  if (sequence !== seen) {
    seen = sequence;
    since = now;
    return;
  }
  const timeoutMs = Atomics.load(state, BOUND);
  if (sequence % 2 === 0 || now - since < timeoutMs) return;
  clearInterval(ticker);
  const stall = { ...(scenario !== undefined ? { scenario } : {}), operation: operations.get(Atomics.load(state, OPERATION)) ?? 'a call', timeoutMs };
  if (!stallFile) return endProcess(stallLine(stall));
  reportStall(stall, stallFile);
  // The CLI ends the run and this process with it; should it not, this process still ends.
  setTimeout(() => endProcess(stallLine(stall)), graceMs);
}, tickMs);
