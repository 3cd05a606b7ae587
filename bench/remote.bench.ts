/**
 * The remote adapter's cost: a call's round trip through kbus-agent over a pipe, beside the
 * kernel adapter (koffi system calls) on the same FUSE-served device and the reference
 * in-process; then the whole suite through remote + agent beside the kernel adapter.
 * Targets: remote ≤ 1.5× the kernel adapter, per call and for the whole suite.
 *
 *   npm run bench:remote [-- --calls N] [-- --no-suite]      (root, /dev/fuse and cc needed)
 */

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Adapter, Ksock } from '../adapters/adapter';
import { createAdapter as kernelAdapter } from '../adapters/kernel';
import { createAdapter as remoteAdapter } from '../adapters/remote';
import { createAdapter as referenceAdapter } from '../adapters/reference';
import { PACKAGE_ROOT } from '../cli/package';
import { encodeEntire } from '../wire/message';
import { buildAgent, removeBuild } from '../test/agent-harness';
import { fuseUnavailable, startServer } from '../test/fuse-harness';
import { latencyCell, measure, type Latency } from './latency';

const TARGET_RATIO = 1.5;
const CLI = path.join(PACKAGE_ROOT, 'bin', 'kbus-conformance.js');
const NAME = '$.Bench.Remote';

interface Pair {
  sender: Ksock;
  listener: Ksock;
  /** Closes both, so that the suite runs after find the bus clean. */
  end(): Promise<unknown>;
}

async function pairOn(adapter: Adapter): Promise<Pair> {
  const buses = await adapter.beginScenario();
  const sender = await buses.bus.open('rw');
  const listener = await buses.bus.open('r');
  await listener.bind(NAME, false);
  return { sender, listener, end: () => buses.end() };
}

const OPERATIONS: [string, (p: Pair, message: Buffer) => Promise<unknown>][] = [
  ['KSOCKID ioctl', (p) => p.sender.ksockId()],
  [
    'write + SEND + NEXTMSG + read (64 data bytes)',
    async (p, message) => {
      await p.sender.write(message);
      await p.sender.send();
      await p.listener.read(await p.listener.nextMsg());
    },
  ],
  ['poll, nothing waiting (timeout 0)', (p) => p.listener.poll({ readable: true }, 0)],
];

function suiteSeconds(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, '--quiet', '--reports', path.join(PACKAGE_ROOT, 'reports', 'bench-remote'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kbus-conformance ${args.join(' ')} exited ${run.status}: ${(run.stderr || run.stdout).trim().split('\n').pop()}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const verdict = (ratio: number) => (ratio <= TARGET_RATIO ? 'holds' : 'MISSED');

async function main(): Promise<void> {
  const calls = Number(process.argv[process.argv.indexOf('--calls') + 1] || 0) || 5_000;
  const why = fuseUnavailable();
  if (why) return console.log(`skipped: FUSE unavailable: ${why}`);
  const build = buildAgent('cc');
  if (build.skip) return console.log(`skipped: ${build.skip}`);
  const served = await startServer(['--devices', '2', '--max-message-size', '409600']);
  try {
    const agent = `${build.binary} --device ${served.device(1)} --bindings ${path.join(served.dir, 'bindings')}`;
    const adapters = {
      remote: await remoteAdapter({ agent }),
      kernel: await kernelAdapter({ device: served.device(1) }),
      reference: referenceAdapter({}),
    };
    const message = encodeEntire({ name: NAME, data: Buffer.alloc(64) }, 8);
    const pairs = {
      remote: await pairOn(adapters.remote),
      kernel: await pairOn(adapters.kernel),
      reference: await pairOn(adapters.reference),
    };
    console.log(`median / p99 microseconds per call over ${calls} calls, remote = kbus-agent over a pipe, device = FUSE`);
    console.log('operation'.padEnd(48) + 'remote'.padStart(20) + 'kernel adapter'.padStart(20) + 'in-process'.padStart(20) + 'remote/kernel'.padStart(15));
    for (const [name, op] of OPERATIONS) {
      const m: Record<string, Latency> = {};
      for (const which of ['remote', 'kernel', 'reference'] as const) m[which] = await measure(() => op(pairs[which], message), calls);
      const ratio = m.remote!.median / m.kernel!.median;
      console.log(name.padEnd(48) + latencyCell(m.remote!) + latencyCell(m.kernel!) + latencyCell(m.reference!) + `${ratio.toFixed(2)}x ${verdict(ratio)}`.padStart(15));
    }
    for (const p of Object.values(pairs)) await p.end();
    for (const a of Object.values(adapters)) await a.dispose();

    if (process.argv.includes('--no-suite')) return;
    const options = ['--adapter-option', 'newDevicePerWorker=true', '--adapter-option', 'allowNewDevice=true'];
    const kernel = suiteSeconds(['--device', served.device(1), '--adapter-option', `procBindings=${path.join(served.dir, 'bindings')}`, ...options]);
    const remote = suiteSeconds(['--agent', agent, ...options]);
    const inProcess = suiteSeconds([]);
    console.log(`\nwhole suite, wall seconds: remote ${remote.toFixed(1)}, kernel adapter ${kernel.toFixed(1)}, in-process ${inProcess.toFixed(1)}`);
    console.log(`remote/kernel ${(remote / kernel).toFixed(2)}x: target ≤ ${TARGET_RATIO}x ${verdict(remote / kernel)}`);
  } finally {
    await served.stop();
    removeBuild(build);
  }
}

void main();
