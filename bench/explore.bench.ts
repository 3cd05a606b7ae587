/**
 * Throughput of `explore`: sessions and operations per second, the reference against itself
 * in-process, and the reference against the reference served as a device through FUSE
 * (reached with the kernel adapter, as /dev/kbusN would be). Each operation counted is played
 * on both sides and compared.
 *
 *   node dist/bench/explore.bench.js [SECONDS]     (default 10 each; FUSE needs root and /dev/fuse)
 */

import type { Adapter } from '../adapters/adapter';
import { createAdapter as createKernel } from '../adapters/kernel';
import { createAdapter as createReference } from '../adapters/reference';
import { KnownDeviations } from '../cli/deviations';
import { ExploreDeviations } from '../explore/deviations';
import { explore } from '../explore/explorer';
import { fuseUnavailable, startServer } from '../test/fuse-harness';

const SEED = 20261202;

async function measure(what: string, implementation: Adapter, seconds: number): Promise<void> {
  const result = await explore({
    reference: createReference(),
    implementation,
    deviations: new ExploreDeviations(KnownDeviations.none()),
    seed: SEED,
    runs: Number.MAX_SAFE_INTEGER,
    budgetMs: seconds * 1000,
  });
  const s = result.elapsedMs / 1000;
  const { sessions, operations } = result.tally;
  const verdict = result.difference ? 'A DIFFERENCE (not a valid measurement)' : 'no difference';
  console.log(
    `${what.padEnd(34)} ${String(sessions).padStart(7)} sessions ${String(operations).padStart(8)} operations in ${s.toFixed(1)} s: ` +
      `${(sessions / s).toFixed(1).padStart(7)} sessions/s ${(operations / s).toFixed(0).padStart(7)} operations/s (${verdict})`,
  );
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  await measure('reference vs reference', createReference(), seconds);
  const why = fuseUnavailable();
  if (why) {
    console.log(`reference vs FUSE device: skipped: FUSE unavailable: ${why}`);
    return;
  }
  const served = await startServer(['--devices', '1', '--max-message-size', '409600']);
  try {
    await measure('reference vs FUSE device (kernel)', await createKernel({ device: served.device(0) }), seconds);
  } finally {
    await served.stop();
  }
}

void main();
