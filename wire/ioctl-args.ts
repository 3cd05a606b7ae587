/**
 * The argument structures of KBUS ioctls, as bytes, for either pointer size: what a C client
 * passes and a device reads. Request numbers live in wire/ioctl.ts; the kernel adapter, the remote adapter and the FUSE
 * device share these.
 *
 * All integers are little-endian u32; pointers are u64 on 64-bit clients and u32 on 32-bit ones.
 */

import type { PointerSize } from './constants';
import type { MessageId } from './message';

/**
 * Size of the buffer behind a u32 in/out argument. The request number declares
 * `sizeof(char *)` bytes, and a device that honours the declared size (a FUSE device copies
 * exactly that many) must find them all addressable, so u32 arguments get a pointer-sized slot.
 */
export function u32ArgSize(pointerSize: PointerSize): number {
  return Math.max(4, pointerSize);
}

export function encodeU32Arg(value: number, pointerSize: PointerSize): Buffer {
  const b = Buffer.alloc(u32ArgSize(pointerSize));
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

export function decodeU32Arg(arg: Uint8Array): number {
  return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength).readUInt32LE(0);
}

/** `struct kbus_msg_id`: network_id @0, serial_num @4. */
export const MSG_ID_SIZE = 8;

export function decodeMsgId(arg: Uint8Array): MessageId {
  const b = Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
  return { networkId: b.readUInt32LE(0), serialNum: b.readUInt32LE(4) };
}

export function encodeMsgId(id: MessageId): Buffer {
  const b = Buffer.alloc(MSG_ID_SIZE);
  b.writeUInt32LE(id.networkId >>> 0, 0);
  b.writeUInt32LE(id.serialNum >>> 0, 4);
  return b;
}

/**
 * `struct kbus_bind_request` (BIND, UNBIND): is_replier @0, name_len @4, char *name @8.
 * `struct kbus_bind_query` (REPLIER) has the same shape with return_id in place of is_replier.
 */
export interface NameStruct {
  /** is_replier (1/0) for a bind request, return_id for a bind query. */
  first: number;
  nameLen: number;
  namePtr: bigint;
}

export function nameStructSize(pointerSize: PointerSize): number {
  return 8 + pointerSize;
}

export function encodeNameStruct(s: NameStruct, pointerSize: PointerSize): Buffer {
  const b = Buffer.alloc(nameStructSize(pointerSize));
  b.writeUInt32LE(s.first >>> 0, 0);
  b.writeUInt32LE(s.nameLen >>> 0, 4);
  if (pointerSize === 8) b.writeBigUInt64LE(s.namePtr, 8);
  else b.writeUInt32LE(Number(s.namePtr & 0xffffffffn), 8);
  return b;
}

export function decodeNameStruct(bytes: Uint8Array, pointerSize: PointerSize): NameStruct {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    first: b.readUInt32LE(0),
    nameLen: b.readUInt32LE(4),
    namePtr: pointerSize === 8 ? b.readBigUInt64LE(8) : BigInt(b.readUInt32LE(8)),
  };
}

export function encodeBindRequest(isReplier: boolean, nameLen: number, namePtr: bigint, pointerSize: PointerSize): Buffer {
  return encodeNameStruct({ first: isReplier ? 1 : 0, nameLen, namePtr }, pointerSize);
}

/** A REPLIER query goes in with return_id 0; the device fills it in. */
export function encodeBindQuery(nameLen: number, namePtr: bigint, pointerSize: PointerSize): Buffer {
  return encodeNameStruct({ first: 0, nameLen, namePtr }, pointerSize);
}
