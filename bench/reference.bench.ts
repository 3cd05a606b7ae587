/**
 * How fast the reference device is, each figure beside a bare in-process baseline (an
 * EventEmitter fan-out of the same payloads) measured in the same run, and whether the
 * targets hold: delivery at least a third of the baseline's rate; a send among 10 000
 * unrelated bindings at most twice the cost of one among 10.
 */

import { EventEmitter } from 'node:events';
import { FLAG } from '../wire/constants';
import { decodeEntire, encodeEntire } from '../wire/message';
import type { Ksock } from '../reference/ksock';
import { KbusSystem } from '../reference/system';

const RUN_MS = 250;
/** Each figure is the best of this many runs: other processes only ever make a run slower. */
const RUNS = 3;
const POINTER_SIZE = 8;
const PAYLOAD = Buffer.alloc(64, 0x61);

/** Rounds per second of `round` over about `ms`. */
function measure(round: () => void, ms: number): number {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  const start = process.hrtime.bigint();
  let rounds = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) round();
    rounds += 64;
    now = process.hrtime.bigint();
  }
  return rounds / (Number(now - start) / 1e9);
}

/**
 * The best rate of each round over RUNS turns, the rounds taking turns so that a burst of
 * load from other processes hits them alike (and only ever makes a run slower).
 */
function bestRates(rounds: (() => void)[]): number[] {
  for (const round of rounds) measure(round, RUN_MS / 4);
  const best = rounds.map(() => 0);
  for (let run = 0; run < RUNS; run++) rounds.forEach((round, i) => (best[i] = Math.max(best[i], measure(round, RUN_MS))));
  return best;
}

/** One NEXTMSG and a read of the whole message, as a client does. */
function readOne(k: Ksock): void {
  k.read(k.nextMsg());
}

function referenceFanOut(listeners: number): () => void {
  const system = new KbusSystem();
  const sender = system.open(0);
  const receivers = Array.from({ length: listeners }, () => system.open(0));
  for (const r of receivers) r.bind('$.Bench.Data');
  const bytes = encodeEntire({ name: '$.Bench.Data', data: PAYLOAD }, POINTER_SIZE);
  return () => {
    sender.write(bytes);
    sender.send();
    for (const r of receivers) readOne(r);
  };
}

function baselineFanOut(listeners: number): () => void {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const queues = Array.from({ length: listeners }, () => [] as Buffer[]);
  for (const q of queues) emitter.on('$.Bench.Data', (m: Buffer) => q.push(m));
  const bytes = encodeEntire({ name: '$.Bench.Data', data: PAYLOAD }, POINTER_SIZE);
  return () => {
    emitter.emit('$.Bench.Data', Buffer.from(bytes));
    for (const q of queues) Buffer.from(q.shift()!);
  };
}

function referenceRoundTrip(): () => void {
  const system = new KbusSystem();
  const [requester, replier] = [system.open(0), system.open(0)];
  replier.bind('$.Bench.Ask', true);
  const request = encodeEntire({ name: '$.Bench.Ask', flags: FLAG.WANT_A_REPLY, data: PAYLOAD }, POINTER_SIZE);
  return () => {
    requester.write(request);
    requester.send();
    const asked = decodeEntire(replier.read(replier.nextMsg()), POINTER_SIZE);
    replier.write(encodeEntire({ name: asked.name, inReplyTo: asked.id, to: asked.from, data: PAYLOAD }, POINTER_SIZE));
    replier.send();
    readOne(requester);
  };
}

function baselineRoundTrip(): () => void {
  const emitter = new EventEmitter();
  const answers: Buffer[] = [];
  emitter.on('request', (m: Buffer) => emitter.emit('reply', Buffer.from(m)));
  emitter.on('reply', (m: Buffer) => answers.push(m) && Buffer.from(answers.shift()!));
  const bytes = encodeEntire({ name: '$.Bench.Ask', data: PAYLOAD }, POINTER_SIZE);
  return () => emitter.emit('request', Buffer.from(bytes));
}

/** One send (and its one delivery) with `unrelated` other bindings on the device. */
function referenceSend(unrelated: number): () => void {
  const system = new KbusSystem();
  const [sender, receiver] = [system.open(0), system.open(0)];
  const others = Array.from({ length: 10 }, () => system.open(0));
  for (let i = 0; i < unrelated; i++) others[i % others.length].bind(i % 2 ? `$.Other${i}.Data` : `$.Bench.Other${i}`, i % 3 === 0);
  receiver.bind('$.Bench.Data');
  const bytes = encodeEntire({ name: '$.Bench.Data', data: PAYLOAD }, POINTER_SIZE);
  return () => {
    sender.write(bytes);
    sender.send();
    readOne(receiver);
  };
}

function baselineSend(unrelated: number): () => void {
  const emitter = new EventEmitter();
  for (let i = 0; i < unrelated; i++) emitter.on(`$.Other${i}`, () => undefined);
  const queue: Buffer[] = [];
  emitter.on('$.Bench.Data', (m: Buffer) => queue.push(m));
  const bytes = encodeEntire({ name: '$.Bench.Data', data: PAYLOAD }, POINTER_SIZE);
  return () => {
    emitter.emit('$.Bench.Data', Buffer.from(bytes));
    Buffer.from(queue.shift()!);
  };
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

function main(): void {
  const rows: [string, string, string, string][] = [];
  const fanOutRatios: number[] = [];
  for (const n of [1, 10, 100]) {
    const [ref, base] = bestRates([referenceFanOut(n), baselineFanOut(n)]).map((r) => r * n);
    fanOutRatios.push(ref / base);
    rows.push([`deliveries/s, 1 sender → ${n} listener${n > 1 ? 's' : ''}`, fmt(ref), fmt(base), `${(ref / base).toFixed(2)}×`]);
  }
  const [rt, rtBase] = bestRates([referenceRoundTrip(), baselineRoundTrip()]);
  rows.push(['request/reply round trips/s', fmt(rt), fmt(rtBase), `${(rt / rtBase).toFixed(2)}×`]);
  const sizes = [10, 1000, 10000];
  const ns = (rates: number[]) => rates.map((r) => 1e9 / r);
  const costs = ns(bestRates(sizes.map(referenceSend)));
  const baseCosts = ns(bestRates(sizes.map(baselineSend)));
  sizes.forEach((n, i) => {
    rows.push([`ns per send, ${n.toLocaleString('en-US')} unrelated bindings`, fmt(costs[i]), fmt(baseCosts[i]), `${(costs[i] / baseCosts[i]).toFixed(2)}×`]);
  });

  const header: [string, string, string, string] = ['measure', 'reference', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));

  const deliveryHolds = fanOutRatios.every((r) => r >= 1 / 3);
  const scaling = costs[2] / costs[0];
  const scalingHolds = scaling <= 2;
  console.log('');
  console.log(`target: delivery ≥ 1/3 of baseline rate: ${deliveryHolds ? 'holds' : 'FAILS'} (worst ${Math.min(...fanOutRatios).toFixed(2)}×)`);
  console.log(`target: send with 10 000 bindings ≤ 2 × send with 10: ${scalingHolds ? 'holds' : 'FAILS'} (${scaling.toFixed(2)}×)`);
  if (!deliveryHolds || !scalingHolds) process.exitCode = 1;
}

main();
