/**
 * The cost of one KBUS system call through the kernel adapter, against the floor: KSOCKID in a
 * C loop on the same device, and the same call on the in-process reference. Mean microseconds
 * per call over many calls, each awaited as the steps await them: elapsed, and the CPU time of
 * the calling process (all its threads), which what else runs on the machine (the FUSE server
 * among others) disturbs less. The best of a few rounds, taken in turns.
 *
 *   node dist/bench/kernel-call.bench.js                     a reference device served by FUSE (root, /dev/fuse)
 *   node dist/bench/kernel-call.bench.js --device /dev/kbus0  a device that exists, e.g. the module in the lab VM
 *
 * The C loop is compiled with `cc` at bench time; without a compiler its row says so.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { bounded } from '../adapters/bounded';
import { createAdapter } from '../adapters/kernel';
import { nativePointerSize } from '../adapters/kernel/syscalls';
import { KbusSystem } from '../reference';
import { IOCTL } from '../wire/ioctl';
import { fuseUnavailable, startServer } from '../test/fuse-harness';

const CALLS = 20_000;
const ROUNDS = 3;
const C_SOURCE = path.join(__dirname, '../../bench/c/ksockid-loop.c');

interface PerCall {
  elapsed: number;
  cpu: number;
}

/** Mean microseconds per call over CALLS calls, after a warm-up. */
async function perCall(call: () => unknown): Promise<PerCall> {
  for (let i = 0; i < CALLS / 10; i++) await call();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call();
  const cpu = process.cpuUsage(cpu0);
  return { elapsed: Number(process.hrtime.bigint() - t0) / 1000 / CALLS, cpu: (cpu.user + cpu.system) / CALLS };
}

/** The C loop's microseconds per call, or why there is none. */
function cLoop(device: string): PerCall | string {
  const binary = path.join(os.tmpdir(), `kbus-ksockid-loop-${process.pid}`);
  const cc = spawnSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', binary, C_SOURCE], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) return `not measured: cc failed: ${cc.error?.message ?? cc.stderr.trim()}`;
  try {
    const request = IOCTL[nativePointerSize()].KSOCKID >>> 0;
    const run = spawnSync(binary, [device, `0x${request.toString(16)}`, String(CALLS)], { encoding: 'utf8' });
    if (run.status !== 0) return `not measured: ${run.stderr.trim()}`;
    const [elapsed, cpu] = run.stdout.trim().split(' ').map((ns) => Number(ns) / 1000);
    return { elapsed: elapsed!, cpu: cpu! };
  } finally {
    fs.rmSync(binary, { force: true });
  }
}

async function measure(device: string): Promise<void> {
  const adapter = await createAdapter({ device });
  const direct = await (await adapter.beginScenario()).bus.open('rw');
  const viaBound = await (await bounded(adapter).beginScenario()).bus.open('rw');
  const reference = new KbusSystem().open(0, 'rw');

  const rows: [string, () => Promise<PerCall | string>][] = [
    ['C loop of ioctl(KSOCKID)', async () => cLoop(device)],
    ['kernel adapter ksockId()', () => perCall(() => direct.ksockId())],
    ['kernel adapter ksockId(), bounded as the suite calls it', () => perCall(() => viaBound.ksockId())],
    ['in-process reference ksockId()', () => perCall(() => reference.ksockId())],
  ];
  const best = rows.map((): PerCall | string => ({ elapsed: Infinity, cpu: Infinity }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, measure]] of rows.entries()) {
      const us = await measure();
      const was = best[i] as PerCall;
      best[i] = typeof us === 'string' ? us : { elapsed: Math.min(was.elapsed, us.elapsed), cpu: Math.min(was.cpu, us.cpu) };
    }
  }
  const floor = best[0]!;
  await direct.close();
  await viaBound.close();

  console.log(`KSOCKID on ${device}: mean microseconds per call over ${CALLS} calls, best of ${ROUNDS} rounds`);
  console.log(`${''.padEnd(58)}${'elapsed'.padStart(10)}${'ratio'.padStart(8)}${'CPU'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const [i, [name]] of rows.entries()) {
    const us = best[i]!;
    if (typeof us === 'string') {
      console.log(`${name.padEnd(58)}${us}`);
      continue;
    }
    const ratio = (v: number, of: number | undefined) => (of === undefined ? '' : `${(v / of).toFixed(2)}x`).padStart(8);
    const c = typeof floor === 'string' ? undefined : floor;
    console.log(`${name.padEnd(58)}${us.elapsed.toFixed(2).padStart(10)}${ratio(us.elapsed, c?.elapsed)}${us.cpu.toFixed(2).padStart(10)}${ratio(us.cpu, c?.cpu)}`);
  }
  console.log('(ratios against the C loop)');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { device: { type: 'string' } } });
  if (values.device) return measure(values.device);
  const why = fuseUnavailable();
  if (why) {
    console.log(`skipped: FUSE unavailable: ${why} (or pass --device /dev/kbusN)`);
    return;
  }
  const served = await startServer();
  try {
    await measure(served.device(0));
  } finally {
    await served.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`kernel-call bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
