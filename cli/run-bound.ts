/**
 * The overall bound of a run (`--timeout`): a run still going when it expires is stopped with one
 * line on stderr and exit 1, since an implementation that stops answering is not conforming.
 * Per-call bounds (adapters/bounded.ts) cover calls that yield to the event loop; this covers the
 * rest, including a system call that never returns and so holds the main thread (the watchdog
 * thread, cli/run-watchdog.ts, steps in then). Parallel workers stuck the same way are killed too.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXIT } from './exit-codes';
import { SUITE_NAME } from './package';

export const DEFAULT_RUN_TIMEOUT_MINUTES = 30;

/** How long the watchdog thread lets the main thread's own timer act before stepping in. */
const WATCHDOG_GRACE_MS = 3_000;

export interface WatchdogData {
  ms: number;
  message: string;
  code: number;
}

export async function withinRunBound<T>(minutes: number, run: () => Promise<T>): Promise<T> {
  const ms = Math.round(minutes * 60_000);
  const message = `${SUITE_NAME}: the run did not finish within ${minutes} minute${minutes === 1 ? '' : 's'} (--timeout): stopped\n`;
  const timer = setTimeout(() => {
    process.stderr.write(message);
    killDescendants();
    process.exit(EXIT.NOT_CONFORMING);
  }, ms);
  const data: WatchdogData = { ms: ms + WATCHDOG_GRACE_MS, message, code: EXIT.NOT_CONFORMING };
  const watchdog = new Worker(path.join(__dirname, 'run-watchdog.js'), { workerData: data });
  watchdog.unref();
  try {
    return await run();
  } finally {
    clearTimeout(timer);
    await watchdog.terminate();
  }
}

/** SIGKILLs every process descended from this one (cucumber's parallel workers and theirs). */
export function killDescendants(): void {
  for (const pid of descendants(process.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It ended by itself meanwhile.
    }
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last one.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}
