/**
 * Another process's memory, as a character device sees its caller's: the FUSE server follows
 * the pointers of an ioctl argument (and of a pointy message) into the calling process with
 * process_vm_readv / process_vm_writev.
 */

import * as koffi from 'koffi';
import { cFunctions } from '../adapters/kernel/libc';
import { KbusError } from '../wire/errno';

const libc = cFunctions({
  readv: 'long process_vm_readv(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
  writev: 'long process_vm_writev(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
});

/** `struct iovec` on a 64-bit host: { void *base; size_t len; }. */
function iovec(address: bigint, length: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(address, 0);
  b.writeBigUInt64LE(BigInt(length), 8);
  return b;
}

/** Native scratch memory the kernel copies into and out of; grown on demand and kept. */
let scratch: { pointer: unknown; address: bigint; length: number } | undefined;

function scratchOf(length: number): { pointer: unknown; address: bigint; length: number } {
  if (!scratch || scratch.length < length) {
    if (scratch) koffi.free(scratch.pointer);
    const size = Math.max(length, 64 * 1024);
    const pointer = koffi.alloc('uint8_t', size);
    scratch = { pointer, address: BigInt(koffi.address(pointer)), length: size };
  }
  return scratch;
}

/**
 * Reads `length` bytes at `address` in process `pid`. An address the process cannot use gives
 * EFAULT, as copy_from_user does in a kernel driver.
 */
export function readUserMemory(pid: number, address: bigint, length: number): Buffer {
  if (length === 0) return Buffer.alloc(0);
  if (address === 0n) throw new KbusError('EFAULT', 'copy from user', 'NULL pointer');
  const s = scratchOf(length);
  const n = libc().readv(pid, iovec(s.address, length), 1, iovec(address, length), 1, 0) as number;
  if (n !== length) throw new KbusError('EFAULT', 'copy from user', n < 0 ? `errno ${koffi.errno()}` : `short read ${n}`);
  return Buffer.from(new Uint8Array(koffi.view(s.pointer, length)));
}

export function writeUserMemory(pid: number, address: bigint, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  if (address === 0n) throw new KbusError('EFAULT', 'copy to user', 'NULL pointer');
  const s = scratchOf(bytes.length);
  new Uint8Array(koffi.view(s.pointer, bytes.length)).set(bytes);
  const n = libc().writev(pid, iovec(s.address, bytes.length), 1, iovec(address, bytes.length), 1, 0) as number;
  if (n !== bytes.length) throw new KbusError('EFAULT', 'copy to user', n < 0 ? `errno ${koffi.errno()}` : `short write ${n}`);
}
