/**
 * `npm run mutants`: runs the suite against the reference and against every mutant in this
 * folder, in worker processes (one per core, each run with a time bound), prints which
 * scenarios caught which mutant, and exits 1 if the reference does not pass or any mutant
 * survives. `npm run mutants -- NAME...` runs only the named mutants (and the reference).
 *
 * `--through-fuse` (`npm run mutants:fuse`) serves the reference and each mutant as a device
 * through FUSE instead and runs the suite on it with the kernel adapter, as on /dev/kbusN:
 * the suite must kill every mutant through that path too. Needs root and /dev/fuse.
 */

import { ChildProcess, fork } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fuseUnavailable } from '../fuse';
import { Mutant, mutantModules } from './define';
import type { RunReply, RunRequest } from './suite-run';
import { serveForRun, type ServedRun } from './through-fuse';
import { exitCode, judgeMutant, MutantVerdict, referenceProblem, RunEnd } from './verdict';

const SUITE_RUN = path.join(__dirname, 'suite-run.js');
const KILLERS_SHOWN = 3;

interface Job {
  name: string;
  /** What `--adapter` gets: `reference` or a mutant's compiled module. */
  adapter: string;
  /** Absent for the reference. */
  mutant?: Mutant;
}

/** How a job's suite run reaches its implementation. */
interface Reach {
  /** How long one run may take before it counts as stuck. */
  boundMs: number;
  prepare(job: Job): ServedRun;
}

const IN_PROCESS: Reach = {
  // A run takes 1-3 s on an idle 2-core machine, several times that under load.
  boundMs: 45_000,
  prepare: (job) => ({ request: { adapter: job.adapter }, release: async () => undefined }),
};

const THROUGH_FUSE: Reach = {
  // Every call is a system call answered by another process: 5-10 times an in-process run.
  boundMs: 180_000,
  prepare: (job) => serveForRun(job.mutant?.createPolicy()),
};

function discoverMutants(): (Job & { mutant: Mutant })[] {
  return mutantModules().map((m) => ({ name: m.name, adapter: m.file, mutant: m.mutant }));
}

/** A worker process that runs the suite for one adapter at a time, replaced when a run goes wrong. */
class Lane {
  private worker: ChildProcess | null = null;

  run(request: RunRequest, boundMs: number): Promise<RunEnd> {
    const worker = (this.worker ??= this.startWorker());
    const started = Date.now();
    return new Promise((resolve) => {
      const done = (end: RunEnd, retire: boolean) => {
        clearTimeout(timer);
        worker.off('message', onReply);
        worker.off('exit', onExit);
        if (retire) {
          worker.kill('SIGKILL');
          this.worker = null;
        }
        resolve(end);
      };
      const onReply = (reply: RunReply) =>
        reply.ok ? done({ ended: 'finished', outcome: reply.outcome }, false) : done({ ended: 'crashed', detail: reply.error }, true);
      const onExit = (code: number | null, signal: string | null) => done({ ended: 'crashed', detail: `worker exited (${code ?? signal})` }, true);
      const timer = setTimeout(() => done({ ended: 'timed-out', afterMs: Date.now() - started }, true), boundMs);
      worker.on('message', onReply);
      worker.on('exit', onExit);
      worker.send(request);
    });
  }

  private startWorker(): ChildProcess {
    const worker = fork(SUITE_RUN, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    // One that dies between runs is replaced by the next run.
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  close(): void {
    this.worker?.disconnect();
    this.worker = null;
  }
}

interface Timed {
  end: RunEnd;
  seconds: number;
}

/** Runs every job, `width` at a time, keeping the results in the jobs' order. */
async function runAll(jobs: readonly Job[], width: number, reach: Reach): Promise<Timed[]> {
  const ends: Timed[] = new Array(jobs.length);
  let next = 0;
  const work = async (lane: Lane) => {
    while (next < jobs.length) {
      const i = next++;
      const started = Date.now();
      const served = reach.prepare(jobs[i]);
      try {
        ends[i] = { end: await lane.run(served.request, reach.boundMs), seconds: (Date.now() - started) / 1000 };
      } finally {
        await served.release();
      }
    }
    lane.close();
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, () => work(new Lane())));
  return ends;
}

function killedBy(m: Mutant, v: MutantVerdict): string {
  if (v.status === 'survived') return `SURVIVED: no scenario failed; needs a scenario for ${m.behaviours.join(' ') || 'its promise'}`;
  if (v.status !== 'killed') return `${v.status.toUpperCase()}${v.detail ? ` (${v.detail})` : ''}`;
  // An outline's examples share its name: each name is shown once, every example is counted.
  const names = [...new Set(v.killers)];
  const shown = names.slice(0, KILLERS_SHOWN).map((k) => `"${k}"`);
  const more = names.length - shown.length;
  const offTarget = v.caughtOnTarget ? '' : ` (none tagged ${m.behaviours.join(' ')})`;
  return `${v.killers.length}${offTarget}: ${shown.join(', ')}${more > 0 ? `, +${more} more` : ''}`;
}

function table(mutants: readonly { name: string; mutant: Mutant }[], verdicts: readonly MutantVerdict[], runs: readonly Timed[]): string {
  const width = Math.max(...mutants.map((m) => m.name.length), 'mutant'.length);
  const lines = [`${'mutant'.padEnd(width)}  promise broken [behaviours]`, `${'(run time)'.padEnd(width)}  killed by (scenarios)`];
  mutants.forEach((m, i) => {
    lines.push(`${m.name.padEnd(width)}  ${m.mutant.breaks} [${m.mutant.behaviours.join(' ')}]`);
    lines.push(`${`(${runs[i].seconds.toFixed(1)} s)`.padEnd(width)}  ${killedBy(m.mutant, verdicts[i])}`);
  });
  return lines.join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  const started = Date.now();
  const throughFuse = args.includes('--through-fuse');
  const only = args.filter((a) => a !== '--through-fuse');
  const noFuse = throughFuse && fuseUnavailable();
  if (noFuse) {
    process.stderr.write(`cannot run the mutants through FUSE: ${noFuse}\n`);
    return 2;
  }
  const all = discoverMutants();
  const unknown = only.filter((name) => !all.some((m) => m.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`no such mutant: ${unknown.join(', ')} (there are: ${all.map((m) => m.name).join(', ')})\n`);
    return 2;
  }
  const mutants = only.length > 0 ? all.filter((m) => only.includes(m.name)) : all;
  const width = Math.max(1, os.availableParallelism());
  const [reference, ...runs] = await runAll([{ name: 'reference', adapter: 'reference' }, ...mutants], width, throughFuse ? THROUGH_FUSE : IN_PROCESS);
  const verdicts = runs.map((r, i) => judgeMutant(r.end, mutants[i].mutant.behaviours));

  const out = [table(mutants, verdicts, runs), ''];
  const problem = referenceProblem(reference.end);
  out.push(problem ? `REFERENCE DOES NOT PASS: ${problem}` : 'reference: passes');
  const survivors = mutants.filter((_, i) => verdicts[i].status !== 'killed');
  const killed = mutants.length - survivors.length;
  out.push(`${killed} of ${mutants.length} mutants killed${survivors.length ? `; not killed: ${survivors.map((m) => m.name).join(', ')}` : ''}`);
  const where = throughFuse ? ' on devices served through FUSE' : '';
  out.push(`${mutants.length + 1} suite runs${where}, ${width} at a time, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
  return exitCode(reference.end, verdicts);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`mutant run failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
