/**
 * The system calls a C client of /dev/kbusN makes, through koffi on the C library.
 *
 * Every call that fails throws (or rejects with) a `KbusError` built from errno. A KBUS device
 * never blocks in open, read, write or ioctl, so these are made on the calling thread, at the
 * speed of the device: handing each to a worker thread and back cost far more than the call.
 * One that does not return all the same is a device that stopped answering, which the suite's
 * watchdog thread sees (adapters/device-stall.ts). Only a poll that may wait goes to koffi's
 * worker threads (libuv's pool), where waiting holds a worker rather than the event loop. A
 * stuck worker cannot be cancelled, and keeps Node's exit waiting: see {@link watchExit}.
 */

import * as koffi from 'koffi';
import { KbusError } from '../../wire/errno';
import { POLL, type PointerSize } from '../../wire/constants';
import type { OpenMode, PollResult } from '../adapter';
import { cFunctions, exitNow, type CFunction } from './libc';

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

/** Calls `fn` on this thread; a negative result throws with errno. */
function now(fn: CFunction, operation: string, ...args: unknown[]): number {
  const rv = fn(...args) as number;
  if (rv < 0) throw failed(operation);
  return rv;
}

/** koffi refuses more than 256 calls running or queued at once: further calls wait here, in order. */
const MAX_CALLS_ON_WORKERS = 128;
let callsOnWorkers = 0;
const waitingForWorker: (() => void)[] = [];

let exitWatched = false;

/**
 * Node's exit joins the worker threads, forever if one is stuck in a device that never answers
 * (a call its caller stopped waiting for): a process that exits (e.g. a cucumber worker at the
 * end of a run) with such a call still running ends with `_exit` instead.
 */
function watchExit(): void {
  exitWatched = true;
  process.on('exit', (code) => {
    if (callsOnWorkers > 0) exitNow(code);
  });
}

/** Calls `fn` on a worker thread; a negative result rejects with errno, which koffi carries back. */
async function onWorker(fn: CFunction, operation: string, ...args: unknown[]): Promise<number> {
  if (!exitWatched) watchExit();
  if (callsOnWorkers < MAX_CALLS_ON_WORKERS) callsOnWorkers++;
  else await new Promise<void>((resume) => waitingForWorker.push(resume));
  try {
    return await new Promise((resolve, reject) => {
      fn.async(...args, (err: unknown, rv: number) => {
        if (err) reject(err);
        else if (rv < 0) reject(failed(operation));
        else resolve(rv);
      });
    });
  } finally {
    // The slot passes straight to the next waiting call, if any.
    const next = waitingForWorker.shift();
    if (next) next();
    else callsOnWorkers--;
  }
}

export const nativePointerSize = (): PointerSize => koffi.sizeof('void *') as PointerSize;

export function sysOpen(path: string, mode: OpenMode): number {
  return now(libc().open, 'open', path, (mode === 'rw' ? O_RDWR : O_RDONLY) | O_CLOEXEC);
}

/** A close reaches the device before the caller's next call, as a C client's does. */
export function sysClose(fd: number): void {
  now(libc().close, 'close', fd);
}

export function sysWrite(fd: number, bytes: Uint8Array): number {
  return now(libc().write, 'write', fd, bytes, bytes.length);
}

export function sysRead(fd: number, count: number): Buffer {
  const buf = Buffer.alloc(count);
  return buf.subarray(0, now(libc().read, 'read', fd, buf, count));
}

/** The ioctl's own return value; `arg` is the memory the request points at (null for _IO). */
export function sysIoctl(fd: number, request: number, arg: Buffer | null, operation: string): number {
  return now(libc().ioctl, operation, fd, request, arg);
}

/** An address no process has mapped: the first page is never mapped on Linux. */
export const UNMAPPED_ADDRESS = 0x10n;

export function sysIoctlAt(fd: number, request: number, address: bigint, operation: string): number {
  return now(libc().ioctlAt, operation, fd, request, address);
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

/** A poll that may wait (`timeoutMs` > 0) waits on a worker thread. */
export async function sysPoll(fd: number, want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult> {
  const fds = pollFd(fd, want);
  if (timeoutMs > 0) await onWorker(libc().poll, 'poll', fds, 1, timeoutMs);
  else now(libc().poll, 'poll', fds, 1, 0);
  return pollResult(fds);
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
