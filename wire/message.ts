/**
 * The KBUS message wire format, the only place that encodes or decodes message bytes.
 *
 * A message header is `struct kbus_message_header`; an "entire" message is that header with
 * both pointers NULL, followed by the name (NUL-terminated, zero-padded to 4 bytes), the data
 * (zero-padded to 4 bytes) and a final end guard. A "pointy" message is the header alone, with
 * pointers to name and data that the device follows at SEND. All integers are little-endian
 * u32 (every platform KBUS runs on in practice); only the pointer size changes the layout.
 */

import { END_GUARD, FLAG, LIMITS, PointerSize, START_GUARD } from './constants';
import { ErrnoName, KbusError } from './errno';
import { asBuffer, isValidName, nameBytes, nameFromBytes } from './names';

export interface MessageId {
  networkId: number;
  serialNum: number;
}

/** `orig_from` and `final_to` share this shape: a network id and a Ksock id local to it. */
export interface NetworkAddress {
  networkId: number;
  localId: number;
}

/** The fields a message header and a decoded message have in common. */
export interface MessageFields {
  id: MessageId;
  inReplyTo: MessageId;
  to: number;
  from: number;
  origFrom: NetworkAddress;
  finalTo: NetworkAddress;
  extra: number;
  flags: number;
}

export interface MessageHeader extends MessageFields {
  startGuard: number;
  nameLen: number;
  dataLen: number;
  /** User-space address of the name (pointy form); 0n for an entire message. */
  namePtr: bigint;
  dataPtr: bigint;
  endGuard: number;
}

/** A message as a reader sees it, decoded from its entire form. */
export interface Message extends MessageFields {
  /** latin1: one character per byte. */
  name: string;
  data: Buffer;
}

/** What a writer fills in; everything but the name defaults to zero / empty. */
export type MessageInit = Partial<Omit<Message, 'name'>> & { name: string };

interface Layout {
  size: number;
  namePtr: number;
  dataPtr: number;
  endGuard: number;
  /** Alignment holes as start, end (exclusive) pairs: always zero in what a device hands readers. */
  holes: readonly number[];
}

const LAYOUTS: Record<PointerSize, Layout> = {
  // x86_64, aarch64: pointers are 8-aligned, leaving holes at 60 and 84.
  8: { size: 88, namePtr: 64, dataPtr: 72, endGuard: 80, holes: [60, 64, 84, 88] },
  // i386, 32-bit ARM: no holes.
  4: { size: 72, namePtr: 60, dataPtr: 64, endGuard: 68, holes: [] },
};

const OFFSET = {
  startGuard: 0,
  idNetwork: 4,
  idSerial: 8,
  inReplyToNetwork: 12,
  inReplyToSerial: 16,
  to: 20,
  from: 24,
  origFromNetwork: 28,
  origFromLocal: 32,
  finalToNetwork: 36,
  finalToLocal: 40,
  extra: 44,
  flags: 48,
  nameLen: 52,
  dataLen: 56,
} as const;

/** The platform this process runs on; KBUS devices use the same ABI as their clients. */
export const NATIVE_POINTER_SIZE: PointerSize = process.arch === 'ia32' || process.arch === 'arm' ? 4 : 8;

/** The header's alignment holes as [start, end) ranges (none with 4-byte pointers). */
export function headerHoles(pointerSize: PointerSize = NATIVE_POINTER_SIZE): [number, number][] {
  const h = LAYOUTS[pointerSize].holes;
  const ranges: [number, number][] = [];
  for (let i = 0; i < h.length; i += 2) ranges.push([h[i], h[i + 1]]);
  return ranges;
}

export function headerSize(pointerSize: PointerSize = NATIVE_POINTER_SIZE): number {
  return LAYOUTS[pointerSize].size;
}

/** Name plus its NUL, rounded up to 4: always 1-4 bytes of padding. */
export function paddedNameLength(nameLen: number): number {
  return 4 * Math.floor((nameLen + 4) / 4);
}

export function paddedDataLength(dataLen: number): number {
  return 4 * Math.ceil(dataLen / 4);
}

/** The length NEXTMSG reports and MAXMSGSIZE limits, whichever form was written. */
export function entireLength(nameLen: number, dataLen: number, pointerSize: PointerSize = NATIVE_POINTER_SIZE): number {
  return headerSize(pointerSize) + paddedNameLength(nameLen) + paddedDataLength(dataLen) + 4;
}

const ZERO_ID: MessageId = { networkId: 0, serialNum: 0 };
const ZERO_ADDRESS: NetworkAddress = { networkId: 0, localId: 0 };

export function emptyHeader(): MessageHeader {
  return {
    startGuard: START_GUARD,
    id: { ...ZERO_ID },
    inReplyTo: { ...ZERO_ID },
    to: 0,
    from: 0,
    origFrom: { ...ZERO_ADDRESS },
    finalTo: { ...ZERO_ADDRESS },
    extra: 0,
    flags: 0,
    nameLen: 0,
    dataLen: 0,
    namePtr: 0n,
    dataPtr: 0n,
    endGuard: END_GUARD,
  };
}

export function encodeHeader(h: MessageHeader, pointerSize: PointerSize = NATIVE_POINTER_SIZE): Buffer {
  const layout = LAYOUTS[pointerSize];
  const b = Buffer.alloc(layout.size);
  writeHeaderInto(b, h, layout, pointerSize);
  return b;
}

function writeHeaderInto(b: Buffer, h: MessageHeader, layout: Layout, pointerSize: PointerSize): void {
  b.writeUInt32LE(h.startGuard >>> 0, OFFSET.startGuard);
  writeMessageFields(b, h);
  b.writeUInt32LE(h.nameLen >>> 0, OFFSET.nameLen);
  b.writeUInt32LE(h.dataLen >>> 0, OFFSET.dataLen);
  if (pointerSize === 8) {
    b.writeBigUInt64LE(h.namePtr, layout.namePtr);
    b.writeBigUInt64LE(h.dataPtr, layout.dataPtr);
  } else {
    b.writeUInt32LE(Number(h.namePtr & 0xffffffffn), layout.namePtr);
    b.writeUInt32LE(Number(h.dataPtr & 0xffffffffn), layout.dataPtr);
  }
  b.writeUInt32LE(h.endGuard >>> 0, layout.endGuard);
}

/** Writes the header fields between the start guard and the lengths: those a sender and KBUS fill in. */
function writeMessageFields(b: Uint8Array, m: MessageFields): void {
  putU32(b, OFFSET.idNetwork, m.id.networkId);
  putU32(b, OFFSET.idSerial, m.id.serialNum);
  putU32(b, OFFSET.inReplyToNetwork, m.inReplyTo.networkId);
  putU32(b, OFFSET.inReplyToSerial, m.inReplyTo.serialNum);
  putU32(b, OFFSET.to, m.to);
  putU32(b, OFFSET.from, m.from);
  putU32(b, OFFSET.origFromNetwork, m.origFrom.networkId);
  putU32(b, OFFSET.origFromLocal, m.origFrom.localId);
  putU32(b, OFFSET.finalToNetwork, m.finalTo.networkId);
  putU32(b, OFFSET.finalToLocal, m.finalTo.localId);
  putU32(b, OFFSET.extra, m.extra);
  putU32(b, OFFSET.flags, m.flags);
}

/** Reads the header fields without judging them (see {@link headerError}). */
export function decodeHeader(bytes: Uint8Array, pointerSize: PointerSize = NATIVE_POINTER_SIZE): MessageHeader {
  const layout = LAYOUTS[pointerSize];
  if (bytes.length < layout.size) throw new KbusError('EINVAL', 'decode', `header needs ${layout.size} bytes, got ${bytes.length}`);
  return {
    startGuard: u32(bytes, OFFSET.startGuard),
    id: { networkId: u32(bytes, OFFSET.idNetwork), serialNum: u32(bytes, OFFSET.idSerial) },
    inReplyTo: { networkId: u32(bytes, OFFSET.inReplyToNetwork), serialNum: u32(bytes, OFFSET.inReplyToSerial) },
    to: u32(bytes, OFFSET.to),
    from: u32(bytes, OFFSET.from),
    origFrom: { networkId: u32(bytes, OFFSET.origFromNetwork), localId: u32(bytes, OFFSET.origFromLocal) },
    finalTo: { networkId: u32(bytes, OFFSET.finalToNetwork), localId: u32(bytes, OFFSET.finalToLocal) },
    extra: u32(bytes, OFFSET.extra),
    flags: u32(bytes, OFFSET.flags),
    nameLen: u32(bytes, OFFSET.nameLen),
    dataLen: u32(bytes, OFFSET.dataLen),
    namePtr: readPointer(bytes, layout.namePtr, pointerSize),
    dataPtr: readPointer(bytes, layout.dataPtr, pointerSize),
    endGuard: u32(bytes, layout.endGuard),
  };
}

/** NULL, as in every entire message, is read without making a BigInt. */
function readPointer(b: Uint8Array, offset: number, pointerSize: PointerSize): bigint {
  const low = u32(b, offset);
  if (pointerSize === 4) return low === 0 ? 0n : BigInt(low);
  const high = u32(b, offset + 4);
  return low === 0 && high === 0 ? 0n : (BigInt(high) << 32n) | BigInt(low);
}

/**
 * The u32 at an offset the caller knows is in range. The per-message paths use these rather
 * than Buffer's readUInt32LE and writeUInt32LE, whose argument checks cost more than the access.
 */
function u32(b: Uint8Array, offset: number): number {
  return (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
}

function putU32(b: Uint8Array, offset: number, value: number): void {
  b[offset] = value;
  b[offset + 1] = value >>> 8;
  b[offset + 2] = value >>> 16;
  b[offset + 3] = value >>> 24;
}

export function isEntireForm(h: MessageHeader): boolean {
  return h.namePtr === 0n && h.dataPtr === 0n;
}

/**
 * The checks a device makes once a header has been written, in the device's order: the first
 * failing check decides the errno. `maxMessageSize` is the device's current MAXMSGSIZE.
 */
export function headerError(h: MessageHeader, maxMessageSize: number, pointerSize: PointerSize = NATIVE_POINTER_SIZE): ErrnoName | null {
  if (h.startGuard !== START_GUARD) return 'EINVAL';
  if (h.endGuard !== END_GUARD) return 'EINVAL';
  if (h.nameLen === 0) return 'EINVAL';
  if (h.nameLen > LIMITS.MAX_NAME_LEN) return 'ENAMETOOLONG';
  if (h.namePtr === 0n && h.dataPtr !== 0n) return 'EINVAL';
  if (h.namePtr !== 0n && h.dataPtr === 0n && h.dataLen > 0) return 'EINVAL';
  if (h.dataLen === 0 && h.dataPtr !== 0n) return 'EINVAL';
  if ((h.flags & FLAG.ALL_OR_WAIT) !== 0 && (h.flags & FLAG.ALL_OR_FAIL) !== 0) return 'EINVAL';
  if (entireLength(h.nameLen, h.dataLen, pointerSize) > maxMessageSize) return 'EMSGSIZE';
  return null;
}

/**
 * Encodes a message in entire form, as a writer sends it and as a device hands it to readers
 * (pointers NULL, holes and padding zero). Lengths come from the name and data unless given.
 */
export function encodeEntire(
  msg: MessageInit & { startGuard?: number; endGuard?: number; finalGuard?: number; nameLen?: number; dataLen?: number },
  pointerSize: PointerSize = NATIVE_POINTER_SIZE,
): Buffer {
  const data = msg.data ?? EMPTY;
  const layout = LAYOUTS[pointerSize];
  // latin1: one byte per character.
  const nameLength = msg.name.length;
  const dataStart = layout.size + paddedNameLength(nameLength);
  // Zeroing a pooled buffer is cheaper than Buffer.alloc's fresh memory.
  const b = Buffer.allocUnsafe(dataStart + paddedDataLength(data.length) + 4).fill(0);
  b.writeUInt32LE((msg.startGuard ?? START_GUARD) >>> 0, OFFSET.startGuard);
  writeMessageFields(b, {
    id: msg.id ?? ZERO_ID,
    inReplyTo: msg.inReplyTo ?? ZERO_ID,
    to: msg.to ?? 0,
    from: msg.from ?? 0,
    origFrom: msg.origFrom ?? ZERO_ADDRESS,
    finalTo: msg.finalTo ?? ZERO_ADDRESS,
    extra: msg.extra ?? 0,
    flags: msg.flags ?? 0,
  });
  b.writeUInt32LE((msg.nameLen ?? nameLength) >>> 0, OFFSET.nameLen);
  b.writeUInt32LE((msg.dataLen ?? data.length) >>> 0, OFFSET.dataLen);
  b.writeUInt32LE((msg.endGuard ?? END_GUARD) >>> 0, layout.endGuard);
  b.write(msg.name, layout.size, 'latin1');
  b.set(data, dataStart);
  b.writeUInt32LE((msg.finalGuard ?? END_GUARD) >>> 0, b.length - 4);
  return b;
}

const EMPTY = Buffer.alloc(0);

/** What KBUS itself sets in every message a user sends; the other header fields stay as written. */
export type SendFields = Pick<Message, 'id' | 'from' | 'extra' | 'flags'>;

/**
 * Turns the bytes of a message written in entire form, in place, into what a device hands its
 * readers: the fields KBUS set at SEND patched in, holes and padding zeroed. The result is byte
 * for byte what {@link encodeEntire} makes of the message, without encoding its name and data
 * again. `written` must be a whole entire message that passed the device's checks (guards,
 * NULL pointers, lengths).
 */
export function completeEntire(written: Buffer, set: SendFields, pointerSize: PointerSize = NATIVE_POINTER_SIZE): Buffer {
  const layout = LAYOUTS[pointerSize];
  putU32(written, OFFSET.idNetwork, set.id.networkId);
  putU32(written, OFFSET.idSerial, set.id.serialNum);
  putU32(written, OFFSET.from, set.from);
  putU32(written, OFFSET.extra, set.extra);
  putU32(written, OFFSET.flags, set.flags);
  for (let i = 0; i < layout.holes.length; i += 2) zero(written, layout.holes[i], layout.holes[i + 1]);
  const nameLen = u32(written, OFFSET.nameLen);
  const dataLen = u32(written, OFFSET.dataLen);
  const dataStart = layout.size + paddedNameLength(nameLen);
  zero(written, layout.size + nameLen, dataStart);
  zero(written, dataStart + dataLen, dataStart + paddedDataLength(dataLen));
  return written;
}

/** Where an entire message's padding lies, as [start, end) byte ranges: after the name's NUL, and after the data. */
export function paddingRanges(nameLen: number, dataLen: number, pointerSize: PointerSize = NATIVE_POINTER_SIZE): [number, number][] {
  const nameStart = headerSize(pointerSize);
  const dataStart = nameStart + paddedNameLength(nameLen);
  return [
    [nameStart + nameLen + 1, dataStart],
    [dataStart + dataLen, dataStart + paddedDataLength(dataLen)],
  ];
}

/** The data of an encoded entire message: a view of its bytes, not a copy. */
export function entireData(entire: Buffer, pointerSize: PointerSize = NATIVE_POINTER_SIZE): Buffer {
  const start = headerSize(pointerSize) + paddedNameLength(u32(entire, OFFSET.nameLen));
  return entire.subarray(start, start + u32(entire, OFFSET.dataLen));
}

/** An encoded message with other flags: the same bytes when they already carry them, else a patched copy. */
export function entireWithFlags(entire: Buffer, flags: number): Buffer {
  if (u32(entire, OFFSET.flags) === flags >>> 0) return entire;
  const copy = Buffer.allocUnsafe(entire.length);
  copy.set(entire);
  putU32(copy, OFFSET.flags, flags >>> 0);
  return copy;
}

/** Zeroes a few bytes: a loop beats fill() at the 1-4 bytes of padding and holes. */
function zero(b: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) b[i] = 0;
}

/**
 * Decodes an entire message, refusing it with the errno a device gives for the same bytes
 * written to it: EINVAL for bad guards, pointers or flags and for a short buffer,
 * ENAMETOOLONG, EMSGSIZE for a message over `maxMessageSize` or bytes after the final guard,
 * EBADMSG for a malformed or wildcard name.
 */
export function decodeEntire(
  bytes: Uint8Array,
  pointerSize: PointerSize = NATIVE_POINTER_SIZE,
  maxMessageSize: number = Number.MAX_SAFE_INTEGER,
): Message {
  const h = decodeHeader(bytes, pointerSize);
  const bad = headerError(h, maxMessageSize, pointerSize);
  if (bad) throw new KbusError(bad, 'decode', 'header');
  if (!isEntireForm(h)) throw new KbusError('EINVAL', 'decode', 'pointy header where an entire message was expected');
  const b = asBuffer(bytes);
  const hs = headerSize(pointerSize);
  const total = entireLength(h.nameLen, h.dataLen, pointerSize);
  const nameEnd = hs + h.nameLen;
  // The name is judged as soon as its bytes are all there, before the message's length.
  const name = b.length >= nameEnd ? nameFromBytes(b, hs, nameEnd) : null;
  if (name !== null && !isValidName(name, { wildcardAllowed: false })) throw new KbusError('EBADMSG', 'decode', 'bad message name');
  if (b.length < total) throw new KbusError('EINVAL', 'decode', `message needs ${total} bytes, got ${b.length}`);
  if (b.readUInt32LE(total - 4) !== END_GUARD) throw new KbusError('EINVAL', 'decode', 'bad final end guard');
  if (b.length > total) throw new KbusError('EMSGSIZE', 'decode', `${b.length - total} bytes after the final end guard`);
  const dataStart = hs + paddedNameLength(h.nameLen);
  const data = Buffer.allocUnsafe(h.dataLen);
  b.copy(data, 0, dataStart, dataStart + h.dataLen);
  return {
    id: h.id,
    inReplyTo: h.inReplyTo,
    to: h.to,
    from: h.from,
    origFrom: h.origFrom,
    finalTo: h.finalTo,
    extra: h.extra,
    flags: h.flags,
    name: name!,
    data,
  };
}

/** Payload of `$.KBUS.ReplierBindEvent`. */
export interface ReplierBindEvent {
  isBind: boolean;
  binder: number;
  name: string;
}

export function encodeReplierBindEvent(e: ReplierBindEvent): Buffer {
  const name = nameBytes(e.name);
  const b = Buffer.alloc(12 + paddedNameLength(name.length));
  b.writeUInt32LE(e.isBind ? 1 : 0, 0);
  b.writeUInt32LE(e.binder >>> 0, 4);
  b.writeUInt32LE(name.length, 8);
  name.copy(b, 12);
  return b;
}

export function decodeReplierBindEvent(data: Uint8Array): ReplierBindEvent {
  if (data.length < 16) throw new KbusError('EINVAL', 'decode', 'replier bind event data too short');
  const b = asBuffer(data);
  const nameLen = b.readUInt32LE(8);
  if (12 + nameLen > b.length) throw new KbusError('EINVAL', 'decode', 'replier bind event name overruns its data');
  return { isBind: b.readUInt32LE(0) === 1, binder: b.readUInt32LE(4), name: nameFromBytes(b.subarray(12, 12 + nameLen)) };
}

export function sameId(a: MessageId, b: MessageId): boolean {
  return a.networkId === b.networkId && a.serialNum === b.serialNum;
}

export function formatId(id: MessageId): string {
  return `[${id.networkId}:${id.serialNum}]`;
}
