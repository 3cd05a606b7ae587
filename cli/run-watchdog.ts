/**
 * The watchdog thread of cli/run-bound.ts, for a main thread blocked where no timer of its own can
 * fire. Only libc's `_exit` ends the whole process from a worker thread with an exit code; should
 * it be unavailable, SIGKILL still ends the run.
 */

import * as fs from 'node:fs';
import { workerData } from 'node:worker_threads';
import { exitNow } from '../adapters/kernel/libc';
import { killDescendants, type WatchdogData } from './run-bound';

const { ms, message, code } = workerData as WatchdogData;

setTimeout(() => {
  fs.writeSync(2, message);
  killDescendants();
  try {
    exitNow(code);
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}, ms);
