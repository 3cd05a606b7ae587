/**
 * The remote protocol's frames (agent/PROTOCOL.md): what the remote adapter sends to an agent
 * and what agents answer, for the host side and the TypeScript agent alike.
 *
 * Every frame: u32 size (of what follows) | u32 request id | u8 code | body, little-endian.
 * A request's code is its operation; an answer's is its status, followed by an i32 value.
 */

export const PROTOCOL_VERSION = 1;

/** Largest frame either side accepts unless the handshake says otherwise (size field included in none). */
export const MAX_FRAME = 16 * 1024 * 1024;

/** The id of the agent's last words before it closes the connection. */
export const FATAL_ID = 0xffffffff;

export const OP = {
  HELLO: 0,
  OPEN: 1,
  CLOSE: 2,
  WRITE: 3,
  READ: 4,
  IOCTL: 5,
  POLL: 6,
  ALLOC: 7,
  STORE: 8,
  BINDINGS: 9,
} as const;

export type OpName = keyof typeof OP;

export const STATUS = {
  OK: 0,
  /** The device call failed; the value is its Linux errno number. */
  ERRNO: 1,
  /** The agent could not make sense of the request; the body says why. */
  BAD_REQUEST: 2,
  /** The agent is closing the connection; the body says why. */
  FATAL: 3,
} as const;

/** How an IOCTL passes its argument. */
export const ARG = {
  /** A NULL argument (RESET, DISCARD). */
  NONE: 0,
  /** Bytes placed in the agent's memory, their address passed; answered with the bytes after the call. */
  BUFFER: 1,
  /** A u64 address passed as it is (memory from ALLOC). */
  ADDRESS: 2,
  /** An address the agent knows no device can use (EFAULT paths). */
  UNUSABLE: 3,
} as const;

export const MAX_POLL_MS = 600_000;

export interface Frame {
  id: number;
  code: number;
  body: Buffer;
}

export interface Answer {
  id: number;
  status: number;
  value: number;
  body: Buffer;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

export function u64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value, 0);
  return b;
}

export function encodeFrame(id: number, code: number, ...parts: Uint8Array[]): Buffer {
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(9);
  head.writeUInt32LE(5 + bodyLength, 0);
  head.writeUInt32LE(id >>> 0, 4);
  head.writeUInt8(code, 8);
  return Buffer.concat([head, ...parts]);
}

export function encodeAnswer(id: number, status: number, value: number, body: Uint8Array = Buffer.alloc(0)): Buffer {
  return encodeFrame(id, status, u32(value), body);
}

export function decodeAnswer(frame: Frame): Answer {
  if (frame.body.length < 4) throw new ProtocolError(`answer ${frame.id} is shorter than its value`);
  return { id: frame.id, status: frame.code, value: frame.body.readInt32LE(0), body: frame.body.subarray(4) };
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** IOCTL BUFFER pointer slots: bytes the agent places, and where in the argument their address goes. */
export interface PointerSlot {
  offset: number;
  bytes: Uint8Array;
}

export function encodeIoctl(handle: number, request: number, arg: { kind: 'none' | 'unusable' } | { kind: 'address'; address: bigint } | { kind: 'buffer'; bytes: Uint8Array; pointers?: PointerSlot[] }): Buffer[] {
  const head = [u32(handle), u32(request)];
  switch (arg.kind) {
    case 'none':
      return [...head, Buffer.of(ARG.NONE)];
    case 'unusable':
      return [...head, Buffer.of(ARG.UNUSABLE)];
    case 'address':
      return [...head, Buffer.of(ARG.ADDRESS), u64(arg.address)];
    case 'buffer': {
      const pointers = arg.pointers ?? [];
      return [
        ...head,
        Buffer.of(ARG.BUFFER),
        u32(arg.bytes.length),
        Buffer.from(arg.bytes),
        u32(pointers.length),
        ...pointers.flatMap((p) => [u32(p.offset), u32(p.bytes.length), Buffer.from(p.bytes)]),
      ];
    }
  }
}

/**
 * Cuts a byte stream into frames. Throws `ProtocolError` on a size no frame can have, after
 * which the stream cannot be trusted and the connection must end.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame = MAX_FRAME) {}

  /** Bytes received but not yet a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    let at = 0;
    while (this.pending.length - at >= 4) {
      const size = this.pending.readUInt32LE(at);
      if (size < 5) throw new ProtocolError(`a frame of ${size} bytes is shorter than its id and code`);
      if (size > this.maxFrame) throw new ProtocolError(`a frame of ${size} bytes is longer than the ${this.maxFrame} allowed`);
      if (this.pending.length - at - 4 < size) break;
      frames.push({ id: this.pending.readUInt32LE(at + 4), code: this.pending[at + 8]!, body: this.pending.subarray(at + 9, at + 4 + size) });
      at += 4 + size;
    }
    this.pending = this.pending.subarray(at);
    return frames;
  }
}

/** What an agent states in its HELLO answer (`key=value` lines). */
export interface AgentHello {
  protocol: number;
  agent: string;
  pointerSize: number;
  byteOrder: string;
  kernelRelease: string;
  machine?: string;
  device?: string;
  devices: number[];
  capabilities: string[];
  maxFrame: number;
}

export function encodeHello(hello: AgentHello): Buffer {
  const lines = [
    `protocol=${hello.protocol}`,
    `agent=${hello.agent}`,
    `pointer-size=${hello.pointerSize}`,
    `byte-order=${hello.byteOrder}`,
    `kernel-release=${hello.kernelRelease}`,
    ...(hello.machine ? [`machine=${hello.machine}`] : []),
    ...(hello.device ? [`device=${hello.device}`] : []),
    `max-frame=${hello.maxFrame}`,
    `capabilities=${hello.capabilities.join(',')}`,
    `devices=${hello.devices.join(',')}`,
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

export function decodeHello(body: Buffer): AgentHello {
  const fields = new Map<string, string>();
  for (const line of body.toString('utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const list = (key: string) => (fields.get(key) ?? '').split(',').filter(Boolean);
  const number = (key: string, fallback?: number) => {
    const text = fields.get(key);
    if (text === undefined && fallback !== undefined) return fallback;
    if (text === undefined || !/^\d+$/.test(text)) throw new ProtocolError(`the agent's HELLO has no usable ${key} (got ${JSON.stringify(text ?? null)})`);
    return Number(text);
  };
  return {
    protocol: number('protocol'),
    agent: fields.get('agent') ?? 'unnamed agent',
    pointerSize: number('pointer-size'),
    byteOrder: fields.get('byte-order') ?? 'little',
    kernelRelease: fields.get('kernel-release') ?? 'unknown',
    ...(fields.has('machine') ? { machine: fields.get('machine')! } : {}),
    ...(fields.has('device') ? { device: fields.get('device')! } : {}),
    devices: list('devices').map(Number).filter((n) => Number.isInteger(n)),
    capabilities: list('capabilities'),
    maxFrame: number('max-frame', MAX_FRAME),
  };
}
