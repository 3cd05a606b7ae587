/**
 * The system calls a C client of /dev/kbusN makes, through koffi on the C library.
 *
 * Every call that fails rejects with a `KbusError` built from errno. Short calls are made
 * synchronously (a KBUS device never blocks in read, write or ioctl); only a poll that may
 * wait runs on koffi's worker thread so that the event loop keeps going.
 */

import * as koffi from 'koffi';
import { KbusError } from '../../wire/errno';
import { POLL, type PointerSize } from '../../wire/constants';
import type { OpenMode, PollResult } from '../adapter';
import { cFunctions } from './libc';

// Linux values, the same on x86_64, i386, arm and aarch64.
const O_RDONLY = 0;
const O_RDWR = 2;
const O_CLOEXEC = 0o2000000;

const libc = cFunctions({
  // open and ioctl are variadic in C; their fixed-argument forms have the same calling
  // convention on Linux and let koffi prepare each call once.
  open: 'int open(const char *path, int flags)',
  close: 'int close(int fd)',
  read: 'long read(int fd, void *buf, unsigned long count)',
  write: 'long write(int fd, const void *buf, unsigned long count)',
  ioctl: 'int ioctl(int fd, unsigned long request, void *arg)',
  /** ioctl with the argument as a plain address, for pointers that must not be usable. */
  ioctlAt: 'int ioctl(int fd, unsigned long request, uintptr_t arg)',
  poll: 'int poll(void *fds, unsigned long nfds, int timeout)',
});

function failed(operation: string): KbusError {
  return KbusError.fromCode(koffi.errno(), operation);
}

export const nativePointerSize = (): PointerSize => koffi.sizeof('void *') as PointerSize;

export function sysOpen(path: string, mode: OpenMode): number {
  const fd = libc().open(path, (mode === 'rw' ? O_RDWR : O_RDONLY) | O_CLOEXEC) as number;
  if (fd < 0) throw failed('open');
  return fd;
}

export function sysClose(fd: number): void {
  if ((libc().close(fd) as number) < 0) throw failed('close');
}

export function sysWrite(fd: number, bytes: Uint8Array): number {
  const n = libc().write(fd, bytes, bytes.length) as number;
  if (n < 0) throw failed('write');
  return n;
}

export function sysRead(fd: number, count: number): Buffer {
  const buf = Buffer.alloc(count);
  const n = libc().read(fd, buf, count) as number;
  if (n < 0) throw failed('read');
  return buf.subarray(0, n);
}

/** The ioctl's own return value; `arg` is the memory the request points at (null for _IO). */
export function sysIoctl(fd: number, request: number, arg: Buffer | null, operation: string): number {
  const rv = libc().ioctl(fd, request, arg) as number;
  if (rv < 0) throw failed(operation);
  return rv;
}

/** An address no process has mapped: the first page is never mapped on Linux. */
export const UNMAPPED_ADDRESS = 0x10n;

export function sysIoctlAt(fd: number, request: number, address: bigint, operation: string): number {
  const rv = libc().ioctlAt(fd, request, address) as number;
  if (rv < 0) throw failed(operation);
  return rv;
}

const POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

function pollFd(fd: number, want: { readable?: boolean; writable?: boolean }): Buffer {
  const b = Buffer.alloc(POLLFD_SIZE);
  b.writeInt32LE(fd, 0);
  b.writeInt16LE((want.readable ? POLL.IN : 0) | (want.writable ? POLL.OUT : 0), 4);
  return b;
}

function pollResult(b: Buffer): PollResult {
  const revents = b.readInt16LE(6);
  return { readable: (revents & POLL.IN) !== 0, writable: (revents & POLL.OUT) !== 0 };
}

export function sysPoll(fd: number, want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult> {
  const fds = pollFd(fd, want);
  if (timeoutMs === 0) {
    if ((libc().poll(fds, 1, 0) as number) < 0) return Promise.reject(failed('poll'));
    return Promise.resolve(pollResult(fds));
  }
  return new Promise((resolve, reject) => {
    libc().poll.async(fds, 1, timeoutMs, (err: unknown, rv: number) => {
      if (err) reject(err);
      // koffi carries the worker thread's errno back with the result.
      else if (rv < 0) reject(failed('poll'));
      else resolve(pollResult(fds));
    });
  });
}

/** Native memory that outlives any one call: pointy-message buffers and names behind pointers. */
export class NativeBuffer {
  private pointer: unknown;
  readonly address: bigint;
  readonly length: number;

  constructor(bytes: Uint8Array) {
    this.length = Math.max(1, bytes.length);
    this.pointer = koffi.alloc('uint8_t', this.length);
    this.address = BigInt(koffi.address(this.pointer));
    this.set(bytes);
  }

  set(bytes: Uint8Array): void {
    if (!this.pointer) throw new Error('native buffer used after it was freed');
    const view = new Uint8Array(koffi.view(this.pointer, this.length));
    view.fill(0);
    view.set(bytes.subarray(0, this.length));
  }

  free(): void {
    if (this.pointer) koffi.free(this.pointer);
    this.pointer = undefined;
  }
}
