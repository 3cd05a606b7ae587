/**
 * `kbus-conformance agent`: the reference served over the remote protocol (agent/PROTOCOL.md)
 * on stdin/stdout, a second implementation of the protocol beside kbus-agent.c. It decodes
 * each IOCTL exactly as the FUSE device does (fuse/kbus-files.ts), with the agent's own
 * memory standing in for a calling process's.
 */

import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { SUITE_MAX_MESSAGE_SIZE } from '../adapters/reference';
import { ReferenceDeviceFiles, type CallerMemory } from '../fuse/kbus-files';
import { KbusSystem } from '../reference';
import { LIMITS, POLL } from '../wire/constants';
import { KbusError, isKbusError } from '../wire/errno';
import {
  ARG,
  encodeAnswer,
  encodeHello,
  FATAL_ID,
  type Frame,
  FrameReader,
  MAX_FRAME,
  MAX_POLL_MS,
  OP,
  PROTOCOL_VERSION,
  ProtocolError,
  STATUS,
  u64,
} from '../wire/remote';
import { SUITE_VERSION } from '../cli/package';

/** Where the agent's blocks start: far from 0, so that UNUSABLE (0x10) is never one of them. */
const FIRST_ADDRESS = 0x10000n;
const UNUSABLE_ADDRESS = 0x10n;
/** Pointer slots a BUFFER argument may carry, as kbus-agent.c allows. */
const MAX_SLOTS = 4;

/** The agent's memory: blocks at made-up addresses that the reference reads as a caller's. */
class AgentMemory implements CallerMemory {
  private readonly blocks = new Map<bigint, Buffer>();
  private next = FIRST_ADDRESS;

  place(bytes: Uint8Array, length = bytes.length): bigint {
    const block = Buffer.alloc(Math.max(1, length));
    block.set(bytes.subarray(0, block.length));
    const address = this.next;
    this.blocks.set(address, block);
    // A gap after each block, so that reading past one never lands in the next.
    this.next += BigInt(((block.length + 15) & ~15) + 16);
    return address;
  }

  free(address: bigint): void {
    this.blocks.delete(address);
  }

  block(address: bigint): Buffer | undefined {
    return this.blocks.get(address);
  }

  private locate(address: bigint, length: number, operation: string): { block: Buffer; offset: number } {
    for (const [start, block] of this.blocks) {
      if (address >= start && address + BigInt(length) <= start + BigInt(block.length)) return { block, offset: Number(address - start) };
    }
    throw new KbusError('EFAULT', operation, `0x${address.toString(16)}+${length} is not the agent's memory`);
  }

  read(_pid: number, address: bigint, length: number): Buffer {
    if (length === 0) return Buffer.alloc(0);
    const { block, offset } = this.locate(address, length, 'copy from user');
    return Buffer.from(block.subarray(offset, offset + length));
  }

  write(_pid: number, address: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const { block, offset } = this.locate(address, bytes.length, 'copy to user');
    block.set(bytes, offset);
  }
}

interface Handle {
  fh: bigint;
  blocks: bigint[];
}

interface WaitingPoll {
  id: number;
  handle: number;
  events: number;
  timer: NodeJS.Timeout;
}

/** A request the agent cannot make sense of: answered BAD_REQUEST, the session goes on. */
class BadRequest extends Error {}

/** A request's body, read from the front. */
class Body {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  private need(n: number): number {
    if (this.bytes.length - this.at < n) throw new BadRequest('the request is shorter than its fields');
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)]!;
  }

  u32(): number {
    return this.bytes.readUInt32LE(this.need(4));
  }

  u64(): bigint {
    return this.bytes.readBigUInt64LE(this.need(8));
  }

  bytesOf(n: number): Buffer {
    return this.bytes.subarray(this.need(n), this.at);
  }

  rest(): Buffer {
    return this.bytes.subarray(this.need(0));
  }
}

export class ReferenceAgent {
  private readonly memory = new AgentMemory();
  private readonly files: ReferenceDeviceFiles;
  private readonly handles = new Map<number, Handle>();
  private readonly polls = new Set<WaitingPoll>();
  private nextHandle = 0;
  private rechecking = false;

  constructor(
    private readonly system: KbusSystem,
    private readonly send: (frame: Buffer) => void,
  ) {
    this.files = new ReferenceDeviceFiles(system, this.memory);
    // Readiness changes inside a reference call: look again once it has returned.
    this.files.onReadinessChange(() => {
      if (this.rechecking) return;
      this.rechecking = true;
      setImmediate(() => {
        this.rechecking = false;
        for (const p of this.polls) this.answerPollIfReady(p);
      });
    });
  }

  handle(frame: Frame): void {
    if (frame.id === FATAL_ID) {
      this.send(encodeAnswer(frame.id, STATUS.BAD_REQUEST, 0, Buffer.from('request id 0xFFFFFFFF is reserved')));
      return;
    }
    try {
      this.serve(frame.id, frame.code, new Body(frame.body));
    } catch (e) {
      if (isKbusError(e)) this.send(encodeAnswer(frame.id, STATUS.ERRNO, e.code));
      else if (e instanceof BadRequest) this.send(encodeAnswer(frame.id, STATUS.BAD_REQUEST, 0, Buffer.from(e.message)));
      else throw e;
    }
  }

  private ok(id: number, value: number, body?: Uint8Array): void {
    this.send(encodeAnswer(id, STATUS.OK, value, body));
  }

  private handleOf(body: Body): [number, Handle] {
    const n = body.u32();
    const h = this.handles.get(n);
    if (!h) throw new KbusError('EBADF', 'agent', `no handle ${n}`);
    return [n, h];
  }

  private serve(id: number, code: number, body: Body): void {
    switch (code) {
      case OP.HELLO: {
        if (body.u32() < PROTOCOL_VERSION) throw new BadRequest('HELLO needs the host protocol version, 1 or above');
        for (const n of [...this.handles.keys()]) this.close(n);
        const devices = Array.from({ length: this.system.deviceCount }, (_, n) => n);
        const hello = {
          protocol: PROTOCOL_VERSION,
          agent: `kbus-conformance agent ${SUITE_VERSION} (reference)`,
          pointerSize: this.system.pointerSize,
          byteOrder: os.endianness() === 'LE' ? 'little' : 'big',
          kernelRelease: os.release(),
          machine: os.machine(),
          device: 'kbus0',
          devices,
          capabilities: ['pointy-messages', 'bad-pointers', 'raw-ioctl', 'new-device', 'proc-reports'],
          maxFrame: MAX_FRAME,
        };
        return this.ok(id, PROTOCOL_VERSION, encodeHello(hello));
      }
      case OP.OPEN: {
        const device = body.u32();
        const mode = body.u32();
        if (mode > 1) throw new BadRequest('OPEN needs mode 0 (read) or 1 (read-write)');
        if (device >= this.system.deviceCount) throw new KbusError('ENOENT', 'open');
        const n = this.nextHandle++;
        this.handles.set(n, { fh: this.files.open(device, mode === 0, process.pid), blocks: [] });
        return this.ok(id, n);
      }
      case OP.CLOSE:
        this.close(this.handleOf(body)[0]);
        return this.ok(id, 0);
      case OP.WRITE: {
        const [, h] = this.handleOf(body);
        return this.ok(id, this.files.write(h.fh, body.rest(), process.pid));
      }
      case OP.READ: {
        const [, h] = this.handleOf(body);
        const bytes = this.files.read(h.fh, body.u32());
        return this.ok(id, bytes.length, bytes);
      }
      case OP.IOCTL:
        return this.ioctl(id, body);
      case OP.POLL:
        return this.poll(id, body);
      case OP.ALLOC: {
        const [, h] = this.handleOf(body);
        const address = this.memory.place(body.rest());
        h.blocks.push(address);
        return this.ok(id, 0, u64(address));
      }
      case OP.STORE: {
        const [, h] = this.handleOf(body);
        const address = body.u64();
        const block = h.blocks.includes(address) ? this.memory.block(address) : undefined;
        if (!block) throw new BadRequest('STORE address is not memory ALLOC gave this Ksock');
        block.fill(0).set(body.rest().subarray(0, block.length));
        return this.ok(id, 0);
      }
      case OP.BINDINGS: {
        const text = Buffer.from(this.files.bindingsReport(), 'latin1');
        return this.ok(id, text.length, text);
      }
      default:
        throw new BadRequest('unknown request code');
    }
  }

  private close(n: number): void {
    const h = this.handles.get(n)!;
    this.handles.delete(n);
    for (const p of this.polls) {
      if (p.handle === n) this.endPoll(p, () => this.send(encodeAnswer(p.id, STATUS.ERRNO, new KbusError('EBADF', 'poll').code)));
    }
    for (const b of h.blocks) this.memory.free(b);
    this.files.release(h.fh);
  }

  /** As a device driver sees an ioctl: copy the argument in (_IOW), call, copy it out (_IOR). */
  private ioctl(id: number, body: Body): void {
    const [, h] = this.handleOf(body);
    const request = body.u32();
    const kind = body.u8();
    const temporary: bigint[] = [];
    let address = 0n;
    let argLength = 0;
    if (kind === ARG.UNUSABLE) address = UNUSABLE_ADDRESS;
    else if (kind === ARG.ADDRESS) address = body.u64();
    else if (kind === ARG.BUFFER) {
      argLength = body.u32();
      const arg = Buffer.from(body.bytesOf(argLength));
      const slots = body.u32();
      if (slots > MAX_SLOTS) throw new BadRequest(`IOCTL BUFFER carries at most ${MAX_SLOTS} pointer slots`);
      for (let i = 0; i < slots; i++) {
        const offset = body.u32();
        const bytes = body.bytesOf(body.u32());
        if (offset + this.system.pointerSize > arg.length) throw new BadRequest('an IOCTL pointer slot lies outside its argument');
        const slot = this.memory.place(Buffer.concat([bytes, Buffer.alloc(1)]));
        temporary.push(slot);
        if (this.system.pointerSize === 8) arg.writeBigUInt64LE(slot, offset);
        else arg.writeUInt32LE(Number(slot), offset);
      }
      address = this.memory.place(arg);
      temporary.push(address);
    } else if (kind !== ARG.NONE) throw new BadRequest('unknown IOCTL argument kind');

    const size = (request >>> 16) & 0x3fff;
    const direction = request >>> 30;
    const argumentNow = () => (kind === ARG.BUFFER ? this.memory.read(0, address, argLength) : undefined);
    try {
      const data = direction & 1 ? this.memory.read(0, address, size) : Buffer.alloc(0);
      const result = this.files.ioctl(h.fh, { fh: h.fh, flags: 0, cmd: request, arg: address, inSize: data.length, outSize: direction & 2 ? size : 0, data }, process.pid);
      if (result.out) this.memory.write(0, address, result.out);
      this.ok(id, result.result, argumentNow());
    } catch (e) {
      if (!isKbusError(e)) throw e;
      this.send(encodeAnswer(id, STATUS.ERRNO, e.code, argumentNow()));
    } finally {
      for (const t of temporary) this.memory.free(t);
    }
  }

  private revents(p: Pick<WaitingPoll, 'handle' | 'events'>): number {
    const h = this.handles.get(p.handle)!;
    return this.files.poll(h.fh, process.pid) & p.events;
  }

  private poll(id: number, body: Body): void {
    const [handle] = this.handleOf(body);
    const events = body.u32();
    const timeout = body.u32();
    if ((events & ~(POLL.IN | POLL.OUT)) !== 0 || timeout > MAX_POLL_MS) {
      throw new BadRequest(`POLL needs events (POLLIN, POLLOUT) and a timeout of at most ${MAX_POLL_MS} ms`);
    }
    const now = this.revents({ handle, events });
    if (now !== 0 || timeout === 0) return this.ok(id, now);
    const p: WaitingPoll = {
      id,
      handle,
      events,
      timer: setTimeout(() => this.endPoll(p, () => this.ok(id, this.revents(p))), timeout),
    };
    this.polls.add(p);
  }

  private answerPollIfReady(p: WaitingPoll): void {
    const now = this.revents(p);
    if (now !== 0) this.endPoll(p, () => this.ok(p.id, now));
  }

  private endPoll(p: WaitingPoll, answer: () => void): void {
    clearTimeout(p.timer);
    this.polls.delete(p);
    answer();
  }
}

const USAGE = 'usage: kbus-conformance agent [--devices N] [--max-message-size BYTES] [--pointer-size 4|8]';

/** Serves the protocol on stdin/stdout until the host closes it. */
export async function agentCommand(argv: string[]): Promise<number> {
  let values: { devices?: string; 'max-message-size'?: string; 'pointer-size'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { devices: { type: 'string' }, 'max-message-size': { type: 'string' }, 'pointer-size': { type: 'string' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return 2;
  }
  const devices = Number(values.devices ?? 2);
  // The reference adapter's size limit unless told otherwise, so that both run the same scenarios.
  const maxSize = Number(values['max-message-size'] ?? SUITE_MAX_MESSAGE_SIZE);
  // A 4-byte agent speaks as a 32-bit board would: i386 request numbers, 72-byte headers.
  const pointerSize = Number(values['pointer-size'] ?? 8);
  if (
    !(Number.isInteger(devices) && devices >= 1 && devices <= LIMITS.MAX_DEVICES) ||
    !Number.isInteger(maxSize) ||
    (pointerSize !== 4 && pointerSize !== 8)
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const system = new KbusSystem({ devices, pointerSize, absoluteMaxMessageSize: maxSize, defaultMaxMessageSize: maxSize });
  const agent = new ReferenceAgent(system, (frame) => process.stdout.write(frame));
  const reader = new FrameReader();
  return new Promise((resolve) => {
    const fatal = (why: string) => {
      process.stdout.write(encodeAnswer(FATAL_ID, STATUS.FATAL, 0, Buffer.from(why)), () => resolve(1));
    };
    process.stdin.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (e) {
        process.stdin.pause();
        return fatal((e as ProtocolError).message);
      }
      for (const f of frames) agent.handle(f);
    });
    process.stdin.on('end', () => (reader.buffered > 0 ? fatal('the connection closed inside a frame') : resolve(0)));
  });
}
