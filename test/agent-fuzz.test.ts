/**
 * Bad input never crashes either side of the remote protocol. kbus-agent, built with
 * AddressSanitizer and UBSan, gets 10 000 random and mutated frames over a pipe: it must
 * neither crash nor report, answer every whole frame, and end a stream it cannot trust with a
 * FATAL reason. The remote adapter gets mutated HELLO answers from a fake agent: each is refused
 * with one line, never a crash or a hang. Fixed seed; the device is a regular file, so that
 * nothing the frames ask reaches a real device.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterLoadError } from '../adapters/load';
import { createAdapter } from '../adapters/remote';
import { IOCTL } from '../wire/ioctl';
import { encodeAnswer, encodeFrame, encodeHello, encodeIoctl, FATAL_ID, FrameReader, MAX_FRAME, OP, STATUS, u32, u64 } from '../wire/remote';
import { buildAgent, removeBuild, type Build } from './agent-harness';

const FRAMES = 10_000;
/** Each session is one sanitized process, slow to start: few sessions, many frames each. */
const SESSIONS = 8;

/** xorshift32: the same frames on every run. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
  return {
    below: (n: number) => next() % n,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => next() & 0xff)),
  };
}

/** Valid requests of every kind, for a session whose first OPEN gave handle 0. */
function seedBodies(): [number, Buffer][] {
  const ksockId = IOCTL[8].KSOCKID;
  return [
    [OP.HELLO, u32(1)],
    [OP.OPEN, Buffer.concat([u32(0), u32(1)])],
    [OP.OPEN, Buffer.concat([u32(7), u32(0)])],
    [OP.WRITE, Buffer.concat([u32(0), Buffer.from('Kbus message bytes')])],
    [OP.READ, Buffer.concat([u32(0), u32(64)])],
    [OP.IOCTL, Buffer.concat(encodeIoctl(0, ksockId, { kind: 'buffer', bytes: Buffer.alloc(8) }))],
    [OP.IOCTL, Buffer.concat(encodeIoctl(0, IOCTL[8].BIND, { kind: 'buffer', bytes: Buffer.alloc(16), pointers: [{ offset: 8, bytes: Buffer.from('$.Fuzz') }] }))],
    [OP.IOCTL, Buffer.concat(encodeIoctl(0, IOCTL[8].RESET, { kind: 'none' }))],
    [OP.IOCTL, Buffer.concat(encodeIoctl(0, ksockId, { kind: 'unusable' }))],
    [OP.IOCTL, Buffer.concat(encodeIoctl(0, ksockId, { kind: 'address', address: 0x1234n }))],
    [OP.POLL, Buffer.concat([u32(0), u32(1), u32(0)])],
    [OP.POLL, Buffer.concat([u32(0), u32(5), u32(10)])],
    [OP.ALLOC, Buffer.concat([u32(0), Buffer.from('$.Pointy.Name')])],
    [OP.STORE, Buffer.concat([u32(0), u64(0x1000n), Buffer.from('data')])],
    [OP.BINDINGS, Buffer.alloc(0)],
    [OP.CLOSE, u32(0)],
  ];
}

const INTERESTING = [0x00, 0x01, 0x04, 0x7f, 0x80, 0xff];

/** A seed with some of its bytes flipped, overwritten, cut or extended, or a random request. */
function mutated(rng: ReturnType<typeof random>, seeds: [number, Buffer][]): [number, Buffer] {
  const [code, seedBody] = seeds[rng.below(seeds.length)]!;
  let body = Buffer.from(seedBody);
  let op = code;
  switch (rng.below(6)) {
    case 0:
      break; // the seed as it is keeps the session's state moving
    case 1:
      for (let i = rng.below(4) + 1; i > 0 && body.length > 0; i--) body[rng.below(body.length)]! ^= 1 << rng.below(8);
      break;
    case 2:
      if (body.length > 0) body[rng.below(body.length)] = INTERESTING[rng.below(INTERESTING.length)]!;
      break;
    case 3:
      body = body.subarray(0, rng.below(body.length + 1));
      break;
    case 4:
      body = Buffer.concat([body, rng.bytes(rng.below(32))]);
      break;
    case 5:
      op = rng.below(12);
      body = rng.bytes(rng.below(48));
      break;
  }
  // Keep every ioctl in KBUS's type: a regular file knows other types (FIFREEZE would freeze /tmp).
  if (op === OP.IOCTL && body.length >= 8) body[5] = 0x6b;
  return [op, body];
}

/** How a session ends: cleanly, or with a frame whose size cannot be trusted. */
function badEnding(rng: ReturnType<typeof random>, id: number, kind: number): Buffer {
  const frame = encodeFrame(id, OP.READ, u32(0), u32(16));
  switch (kind % 4) {
    case 0:
      frame.writeUInt32LE(rng.below(5), 0); // shorter than id and code
      return frame;
    case 1:
      frame.writeUInt32LE(MAX_FRAME + 1 + rng.below(1000), 0);
      return frame;
    case 2:
      frame.writeUInt32LE(frame.length + rng.below(100), 0); // the stream ends inside it
      return frame;
    default:
      return frame.subarray(0, 1 + rng.below(frame.length - 1)); // cut off
  }
}

describe('kbus-agent under 10 000 random and mutated frames (ASan, UBSan)', () => {
  let build: Build;
  let dir: string;

  before(() => {
    build = buildAgent('cc', ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'], 'kbus-agent-asan');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-fuzz-'));
    fs.writeFileSync(path.join(dir, 'kbus0'), 'not a KBUS device: a file the agent may open and write');
    fs.writeFileSync(path.join(dir, 'bindings'), '');
  });
  after(() => {
    if (build) removeBuild(build);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never crashes, answers every whole frame, and closes an untrustworthy stream with a reason', (t) => {
    if (build.skip) return t.skip(build.skip);
    const rng = random(0x6b627573);
    const seeds = seedBodies();
    const perSession = FRAMES / SESSIONS;
    const problems: string[] = [];
    let id = 1;
    for (let session = 0; session < SESSIONS; session++) {
      const sent = new Map<number, number>();
      const frames: Buffer[] = [encodeFrame(id++, OP.HELLO, u32(1)), encodeFrame(id++, OP.OPEN, u32(0), u32(1))];
      for (let i = 0; i < perSession; i++) {
        const [op, body] = mutated(rng, seeds);
        sent.set(id, op);
        frames.push(encodeFrame(id++, op, body));
      }
      const endsBadly = session % 2 === 1;
      if (endsBadly) frames.push(badEnding(rng, id++, (session - 1) / 2));
      const run = spawnSync(build.binary!, ['--device', path.join(dir, 'kbus0'), '--bindings', path.join(dir, 'bindings')], {
        input: Buffer.concat(frames),
        maxBuffer: 1 << 30,
        timeout: 60_000,
        env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:exitcode=99', UBSAN_OPTIONS: 'print_stacktrace=1:exitcode=98' },
      });
      const stderr = run.stderr.toString();
      if (run.error || run.signal || /Sanitizer|runtime error/.test(stderr)) {
        problems.push(`session ${session}: ${run.error?.message ?? run.signal ?? ''} ${stderr.slice(0, 2000)}`);
        continue;
      }
      const answers = new FrameReader().push(run.stdout);
      const fatal = answers.find((a) => a.id === FATAL_ID);
      if (endsBadly) {
        if (!(fatal && fatal.code === STATUS.FATAL && fatal.body.length > 4) && run.status !== 0) problems.push(`session ${session}: exit ${run.status} without a FATAL reason`);
      } else if (fatal || run.status !== 0) {
        problems.push(`session ${session}: ended with ${run.status} ${fatal?.body.subarray(4).toString() ?? ''} on whole frames`);
      }
      const answered = new Set(answers.map((a) => a.id));
      // A POLL may still be waiting (nothing to wait for) when the stream ends; every other request has its answer.
      const unanswered = [...sent].filter(([n, op]) => !answered.has(n) && op !== OP.POLL);
      if (unanswered.length > 0) problems.push(`session ${session}: ${unanswered.length} requests unanswered, e.g. id ${unanswered[0]![0]} op ${unanswered[0]![1]}`);
      if (answers.some((a) => a.id !== FATAL_ID && a.code > STATUS.BAD_REQUEST)) problems.push(`session ${session}: an answer with an unknown status`);
    }
    assert.deepEqual(problems, []);
  });
});

describe('the remote adapter under mutated HELLO answers from a fake agent', () => {
  it('refuses each with a one-line AdapterLoadError, never a crash or a hang', async () => {
    const rng = random(0x41474e54);
    const hello = encodeAnswer(
      1,
      STATUS.OK,
      1,
      encodeHello({ protocol: 1, agent: 'fake', pointerSize: 8, byteOrder: 'little', kernelRelease: '6.1.0', devices: [0], capabilities: ['raw-ioctl'], maxFrame: MAX_FRAME }),
    );
    const socket = path.join(os.tmpdir(), `kbus-fake-agent-${process.pid}.sock`);
    let answer = hello;
    const server = net.createServer((conn) => {
      conn.once('data', () => conn.end(answer));
      conn.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const problems: string[] = [];
    try {
      for (let i = 0; i < 300; i++) {
        answer = Buffer.from(hello);
        for (let n = rng.below(4) + 1; n > 0; n--) answer[rng.below(answer.length)] = rng.below(256);
        if (i % 5 === 0) answer = answer.subarray(0, rng.below(answer.length));
        const outcome = await createAdapter({ connect: `unix:${socket}`, helloTimeoutMs: 2_000 }).then(
          async (adapter) => {
            await adapter.dispose();
            return 'started';
          },
          (e: Error) => e,
        );
        if (!(outcome instanceof AdapterLoadError) || /\n/.test(outcome.message)) problems.push(`case ${i}: ${String(outcome)}`);
      }
    } finally {
      server.close();
      fs.rmSync(socket, { force: true });
    }
    assert.deepEqual(problems, []);
  });
});
