/**
 * Messages described in scenario words, turned into the bytes a writer puts on a Ksock: entire
 * messages (well formed, or with the faults a scenario names) and pointy messages in
 * adapter-provided memory. Also the per-scenario scratch state of byte-level steps: what is left
 * to write, the buffers of a pointy message, what a partial read has collected so far.
 */

import type { Ksock, UserBuffer } from '../adapters/adapter';
import { FLAG } from '../wire/constants';
import {
  MessageInit,
  decodeHeader,
  emptyHeader,
  encodeEntire,
  encodeHeader,
  entireLength,
  paddingRanges,
  headerHoles,
} from '../wire/message';
import { nameBytes } from '../wire/names';
import { buildLimits } from './build-limits';
import { resolveData } from './values';
import { KbusWorld, SetupError, parseFlags } from './world';

/** How a scenario describes one message to write: `"$.Fred" with data "abc" and a wrong start guard`. */
export interface MessageDescription {
  name: string;
  data: Buffer;
  flags: number;
  faults: string[];
  junkPadding: boolean;
  /** 0xFF written into the header's alignment holes. */
  junkHoles: boolean;
  /** Target entire length, e.g. `the size limit` or `4 bytes over the size limit`. */
  entireLength?: string;
  /** Piece size for writing; 0 means one write. */
  pieces: number;
  /** A pointy message whose name pointer leads nowhere the device can read. */
  unusableName: boolean;
}

const MODIFIERS: [RegExp, (d: MessageDescription, m: RegExpExecArray) => void][] = [
  [/^data "([^"]*)"/, (d, m) => (d.data = resolveData(`"${m[1]}"`))],
  [/^data (\d+ bytes? (?:of 0x[0-9a-f]{2}|counting up))/i, (d, m) => (d.data = resolveData(m[1]))],
  [/^(\d+) data bytes?/, (d, m) => (d.data = resolveData(`${m[1]} bytes counting up`))],
  [/^flags (\S+)/, (d, m) => (d.flags = parseFlags(m[1]))],
  [/^0xFF in every padding byte/, (d) => (d.junkPadding = true)],
  [/^0xFF in every alignment hole of its header/, (d) => (d.junkHoles = true)],
  [/^whose name pointer is unusable/, (d) => (d.unusableName = true)],
  [/^one byte at a time/, (d) => (d.pieces = 1)],
  [/^in pieces of (\d+) bytes?/, (d, m) => (d.pieces = Number(m[1]))],
  [/^whose entire length is (the size limit|\d+ bytes (?:over|under) the size limit|\d+ bytes|the build's absolute maximum)/, (d, m) => (d.entireLength = m[1])],
  [
    /^(a wrong start guard|a wrong header end guard|a wrong final end guard|name_len \d+|a data pointer but no name pointer|a name pointer but no data pointer|a data pointer but no data|both ALL_OR_WAIT and ALL_OR_FAIL|more data than MAXMSGSIZE allows|\d+ bytes after the final end guard)/,
    (d, m) => d.faults.push(m[1]),
  ],
];

/** Parses the words after a message's quoted name. */
export function describeMessage(name: string, tail: string): MessageDescription {
  const d: MessageDescription = { name, data: Buffer.alloc(0), flags: 0, faults: [], junkPadding: false, junkHoles: false, pieces: 0, unusableName: false };
  let rest = tail.trim();
  while (rest) {
    rest = rest.replace(/^(?:with|and|,)\s+/, '');
    const found = MODIFIERS.find(([re]) => re.test(rest));
    if (!found) throw new SetupError(`cannot read "${rest}" as part of a message description`);
    const m = found[0].exec(rest)!;
    found[1](d, m);
    rest = rest.slice(m[0].length).trim();
  }
  return d;
}

// Any non-NULL address: the device refuses these headers before it would follow a pointer.
const SOME_ADDRESS = 0x10000n;
const WRONG_GUARD = 0x12345678;
// Below Linux's mmap_min_addr, so never mapped in a client, and never handed out by allocate().
const UNMAPPED_ADDRESS = 0x1000n;

/** The entire-form bytes of a described message, faults and all. */
export async function entireBytes(world: KbusWorld, ksock: Ksock, d: MessageDescription): Promise<Buffer> {
  const init: MessageInit & { startGuard?: number; endGuard?: number; finalGuard?: number; nameLen?: number } = {
    name: d.name,
    data: await sizedData(world, ksock, d),
    flags: d.flags,
  };
  let trailing = 0;
  const pointers: { name?: bigint; data?: bigint; dataLen?: number } = {};
  for (const fault of d.faults) {
    const nameLen = /^name_len (\d+)$/.exec(fault);
    const after = /^(\d+) bytes after the final end guard$/.exec(fault);
    if (nameLen) init.nameLen = Number(nameLen[1]);
    else if (after) trailing = Number(after[1]);
    else if (fault === 'a wrong start guard') init.startGuard = WRONG_GUARD;
    else if (fault === 'a wrong header end guard') init.endGuard = WRONG_GUARD;
    else if (fault === 'a wrong final end guard') init.finalGuard = WRONG_GUARD;
    else if (fault === 'both ALL_OR_WAIT and ALL_OR_FAIL') init.flags = (init.flags ?? 0) | FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL;
    else if (fault === 'more data than MAXMSGSIZE allows') init.data = Buffer.alloc(await targetLength(world, ksock, 'the size limit'), 0x5a);
    else if (fault === 'a data pointer but no name pointer') Object.assign(pointers, { name: 0n, data: SOME_ADDRESS });
    else if (fault === 'a name pointer but no data pointer') Object.assign(pointers, { name: SOME_ADDRESS, data: 0n });
    else if (fault === 'a data pointer but no data') Object.assign(pointers, { name: SOME_ADDRESS, data: SOME_ADDRESS, dataLen: 0 });
    else throw new SetupError(`unknown message fault "${fault}"`);
  }
  const bytes = encodeEntire(init, world.pointerSize);
  if (pointers.name !== undefined) {
    const header = decodeHeader(bytes, world.pointerSize);
    header.namePtr = pointers.name;
    header.dataPtr = pointers.data ?? 0n;
    if (pointers.dataLen !== undefined) header.dataLen = pointers.dataLen;
    encodeHeader(header, world.pointerSize).copy(bytes, 0);
  }
  if (d.junkPadding) fillPadding(bytes, world, init.name, init.data!.length, 0xff);
  if (d.junkHoles) for (const [from, to] of headerHoles(world.pointerSize)) bytes.fill(0xff, from, to);
  return trailing ? Buffer.concat([bytes, Buffer.alloc(trailing)]) : bytes;
}

/** Writes a described message as a pointy header over buffers from the adapter's memory. */
export async function writePointy(world: KbusWorld, who: string, d: MessageDescription): Promise<number> {
  const ksock = world.ksock(who);
  if (!ksock.allocate || !ksock.writeHeader) throw new SetupError(`the ${world.adapter.name} adapter cannot place pointy messages`);
  if (d.faults.length || d.junkPadding || d.junkHoles || d.pieces) throw new SetupError('pointy messages are written whole, without entire-form faults');
  const name = nameBytes(d.name);
  const data = await sizedData(world, ksock, d);
  const nameBuffer = await world.setup('allocate the name', () => ksock.allocate!(Buffer.concat([name, Buffer.alloc(1)])));
  const dataBuffer = data.length ? await world.setup('allocate the data', () => ksock.allocate!(data)) : undefined;
  scratch(world).pointy.set(who, { name: nameBuffer, data: dataBuffer });
  const namePtr = d.unusableName ? UNMAPPED_ADDRESS : nameBuffer.address;
  const header = { ...emptyHeader(), flags: d.flags, nameLen: name.length, dataLen: data.length, namePtr, dataPtr: dataBuffer?.address ?? 0n };
  world.trace.push({ ksock: who, event: `wrote pointy header for ${d.name} (${data.length} data bytes)` });
  return ksock.writeHeader(header);
}

/** The data of a message, sized to reach a target entire length when the description asks for one. */
async function sizedData(world: KbusWorld, ksock: Ksock, d: MessageDescription): Promise<Buffer> {
  if (!d.entireLength) return d.data;
  const target = await targetLength(world, ksock, d.entireLength);
  const room = target - entireLength(nameBytes(d.name).length, 0, world.pointerSize);
  if (room < 0 || room % 4 !== 0) throw new SetupError(`no data length gives "${d.name}" an entire length of ${target}`);
  return resolveData(`${room} bytes counting up`);
}

/** `the size limit` (the bus's now), `n bytes over/under` it, `n bytes`, or the build's absolute maximum. */
async function targetLength(world: KbusWorld, ksock: Ksock, text: string): Promise<number> {
  if (text === "the build's absolute maximum") return buildLimits(world).absoluteMaxMessageSize;
  const exact = /^(\d+) bytes$/.exec(text);
  if (exact) return Number(exact[1]);
  const limit = await world.setup('MAXMSGSIZE(0)', () => ksock.maxMsgSize(0));
  const offset = /^(\d+) bytes (over|under)/.exec(text);
  return offset ? limit + (offset[2] === 'over' ? 1 : -1) * Number(offset[1]) : limit;
}

function fillPadding(bytes: Buffer, world: KbusWorld, name: string, dataLen: number, value: number): void {
  for (const [from, to] of paddingRanges(nameBytes(name).length, dataLen, world.pointerSize)) bytes.fill(value, from, to);
}

/** Byte-level state of a scenario that the World does not keep. */
interface Scratch {
  /** The message each Ksock last started writing, as a step described it. */
  written: Map<string, MessageInit>;
  /** Bytes of an entire message each Ksock has yet to write. */
  unwritten: Map<string, Buffer>;
  pointy: Map<string, { name: UserBuffer; data?: UserBuffer }>;
  /** Bytes of the current message each Ksock has read so far in pieces. */
  partlyRead: Map<string, Buffer[]>;
  /** Length of the last entire message a step wrote. */
  lastMessageLength?: number;
}

const scratches = new WeakMap<KbusWorld, Scratch>();

export function scratch(world: KbusWorld): Scratch {
  let s = scratches.get(world);
  if (!s) {
    s = { written: new Map(), unwritten: new Map(), pointy: new Map(), partlyRead: new Map() };
    scratches.set(world, s);
  }
  return s;
}

/** Writes `bytes` in pieces; returns each piece's size with what write() accepted of it. */
export async function writeInPieces(ksock: Ksock, bytes: Buffer, size: number): Promise<[number, number][]> {
  const accepted: [number, number][] = [];
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, Math.min(at + size, bytes.length));
    accepted.push([piece.length, await ksock.write(piece)]);
  }
  return accepted;
}

/** Decodes a scenario's `\xNN` escapes so a name can hold any byte (one latin1 character each). */
export function nameFromEscapes(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
