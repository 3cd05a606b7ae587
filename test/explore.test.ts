/**
 * `kbus-conformance explore`: the reference explored against itself through the FUSE device
 * finds no difference (skipped, with the reason, where FUSE cannot be mounted); against a
 * mutant it finds one and writes a scenario; a listed deviation that must not run is never
 * run; bad options are usage errors.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAdapter } from '../adapters/reference';
import { KnownDeviations } from '../cli/deviations';
import { ExploreDeviations } from '../explore/deviations';
import { compareSession } from '../explore/explorer';
import type { Operation } from '../explore/generator';
import { FLAG } from '../wire/constants';
import { fuseUnavailable, startServer, type ServedDevices } from './fuse-harness';

const CLI = path.join(__dirname, '../../bin/kbus-conformance.js');
const noFuse = fuseUnavailable();

function explore(args: string[]) {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-explore-test-'));
  const run = spawnSync(process.execPath, [CLI, 'explore', '--reports', reports, ...args], { encoding: 'utf8', timeout: 120_000 });
  const envelopeFile = path.join(reports, 'kbus-conformance-explore.json');
  const envelope = fs.existsSync(envelopeFile) ? JSON.parse(fs.readFileSync(envelopeFile, 'utf8')) : undefined;
  return { ...run, reports, envelope };
}

describe('explore: the reference against itself through the FUSE device', { skip: noFuse ? `FUSE unavailable: ${noFuse}` : false }, () => {
  let served: ServedDevices;
  before(async () => {
    served = await startServer(['--devices', '1', '--max-message-size', '409600']);
  });
  after(async () => {
    await served?.stop();
  });

  it('finds no difference in a few seconds of sessions', (t) => {
    const run = explore(['--device', served.device(0), '--seed', '20261202', '--time-budget', '4', '--quiet']);
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /explored \d+ sessions, \d+ operations in .*, no difference/);
    assert.equal(run.envelope.verdict, 'conforming');
    assert.ok(run.envelope.exploration.sessions > 0);
    t.diagnostic(run.stdout.split('\n')[0]);
    fs.rmSync(run.reports, { recursive: true, force: true });
  });
});

describe('explore on the command line', () => {
  it('finds a broken implementation and writes the difference as a scenario that the reference passes', () => {
    const mutant = path.join(__dirname, '../mutants/serials-skip-one.js');
    const run = explore(['--adapter', mutant, '--seed', '1', '--time-budget', '10', '--quiet']);
    assert.equal(run.status, 1, `${run.stdout}${run.stderr}`);
    const feature = path.join(run.reports, 'explore', 'seed-1.feature');
    assert.match(fs.readFileSync(feature, 'utf8'), /^@explore @seed:1\n/);
    assert.match(run.stdout, /seed 1; again: npx kbus-conformance explore --seed 1 --adapter/);
    assert.equal(run.envelope.exploration.differences, 1);
    const onReference = spawnSync(process.execPath, [CLI, '--quiet', '--reports', run.reports, feature], { encoding: 'utf8' });
    assert.equal(onReference.status, 0, onReference.stdout);
    const onMutant = spawnSync(process.execPath, [CLI, '--quiet', '--adapter', mutant, '--reports', run.reports, feature], { encoding: 'utf8' });
    assert.equal(onMutant.status, 1, onMutant.stdout);
    fs.rmSync(run.reports, { recursive: true, force: true });
  });

  for (const args of [['--runs', '0'], ['--time-budget', 'soon'], ['--seed', '-3'], ['--bogus'], ['--device', '/nonexistent/kbus0']]) {
    it(`refuses ${args.join(' ')} with one line and exit 2`, () => {
      const run = explore(args);
      assert.equal(run.status, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      fs.rmSync(run.reports, { recursive: true, force: true });
    });
  }
});

describe('explore and known deviations', () => {
  // K2 is full; K1's ALL_OR_WAIT send to it waits; K1 then writes again (the ALL-05 sequence).
  const waitingThenWrite: Operation[] = [
    { op: 'bind', slot: 1, name: '$.A', replier: false },
    { op: 'limit', slot: 1, value: 1 },
    { op: 'send', slot: 0, request: false, name: '$.A', flags: 0, to: undefined, data: '', pieces: 0, written: 'plain' },
    { op: 'send', slot: 0, request: false, name: '$.A', flags: FLAG.ALL_OR_WAIT, to: undefined, data: '', pieces: 0, written: 'plain' },
    { op: 'send', slot: 0, request: false, name: '$.B', flags: 0, to: undefined, data: '', pieces: 0, written: 'plain' },
  ];

  it('plays a write on a Ksock waiting to send when ALL-05 is not listed', async () => {
    const c = await compareSession(createAdapter(), createAdapter(), waitingThenWrite, new ExploreDeviations(KnownDeviations.none()));
    assert.deepEqual(c.steps.at(-2)?.reference, { ok: false, errno: 'EAGAIN' });
    assert.deepEqual(c.steps.at(-1)?.reference, { ok: false, errno: 'EALREADY' });
  });

  it('never plays it when ALL-05 is listed', async () => {
    const listed = new ExploreDeviations(new KnownDeviations('original-module.txt', [{ entry: 'ALL-05', kind: 'id', line: 1, notRun: 'a write while waiting to send oopses the module' }]));
    const c = await compareSession(createAdapter(), createAdapter(), waitingThenWrite, listed);
    assert.equal(c.steps.at(-1)?.reference, undefined);
    assert.match(c.steps.at(-1)?.notRun ?? '', /ALL-05/);
  });

  it('counts a difference in LENLEFT as IOC-13 when the list has it', () => {
    const steps = [{ action: { kind: 'query' as const, who: 'K1', query: 'LENLEFT' as const, name: '$.A' } }];
    assert.equal(new ExploreDeviations(new KnownDeviations('x', [{ entry: 'IOC-13', kind: 'id', line: 1 }])).explain(steps, 0), 'IOC-13');
    assert.equal(new ExploreDeviations(KnownDeviations.none()).explain(steps, 0), undefined);
  });
});
