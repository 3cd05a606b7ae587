/**
 * KBUS ioctl request numbers, built with Linux's `_IOC` encoding so that clients (the kernel
 * adapter) and servers (the FUSE device) agree on one table for either pointer size.
 *
 * Every ioctl that takes an argument declares `sizeof(char *)` as its size, whatever the
 * structure really passed: that is how `kbus_defns.h` spells them, so the numbers differ
 * between 64- and 32-bit clients.
 */

import type { PointerSize } from './constants';

export const IOC_MAGIC = 0x6b; // 'k'

type Direction = 'none' | 'write' | 'read' | 'readwrite';

/** Each request: its number within the 'k' type and the direction of its argument. */
const REQUESTS = {
  RESET: [1, 'none'],
  BIND: [2, 'write'],
  UNBIND: [3, 'write'],
  KSOCKID: [4, 'read'],
  REPLIER: [5, 'readwrite'],
  NEXTMSG: [6, 'read'],
  LENLEFT: [7, 'read'],
  SEND: [8, 'read'],
  DISCARD: [9, 'none'],
  LASTSENT: [10, 'read'],
  MAXMSGS: [11, 'readwrite'],
  NUMMSGS: [12, 'read'],
  UNREPLIEDTO: [13, 'read'],
  MSGONLYONCE: [14, 'readwrite'],
  VERBOSE: [15, 'readwrite'],
  NEWDEVICE: [16, 'read'],
  REPORTREPLIERBINDS: [17, 'readwrite'],
  MAXMSGSIZE: [18, 'readwrite'],
} as const satisfies Record<string, readonly [number, Direction]>;

export type IoctlName = keyof typeof REQUESTS;

export const IOCTL_NAMES = Object.keys(REQUESTS) as IoctlName[];

// asm-generic: bits 30-31 direction (1 = _IOW, 2 = _IOR), 16-29 size, 8-15 type, 0-7 number.
const DIRECTION_BITS: Record<Direction, number> = { none: 0, write: 1, read: 2, readwrite: 3 };

export function ioctlNumber(name: IoctlName, pointerSize: PointerSize): number {
  const [nr, direction] = REQUESTS[name];
  const size = direction === 'none' ? 0 : pointerSize;
  return ((DIRECTION_BITS[direction] << 30) | (size << 16) | (IOC_MAGIC << 8) | nr) >>> 0;
}

function table(pointerSize: PointerSize): Readonly<Record<IoctlName, number>> {
  return Object.freeze(Object.fromEntries(IOCTL_NAMES.map((n) => [n, ioctlNumber(n, pointerSize)])) as Record<IoctlName, number>);
}

/** `IOCTL[pointerSize].BIND` is the request number a client of that pointer size passes. */
export const IOCTL: Readonly<Record<PointerSize, Readonly<Record<IoctlName, number>>>> = { 8: table(8), 4: table(4) };

/**
 * The request a number stands for, or undefined when a device must refuse it with ENOTTY:
 * another type, a number above 18, or the right number with the wrong direction or size.
 */
export function ioctlName(request: number, pointerSize: PointerSize): IoctlName | undefined {
  const byNumber = IOCTL[pointerSize];
  return IOCTL_NAMES.find((n) => byNumber[n] === request >>> 0);
}

/** Whether the request has an argument at all (RESET and DISCARD have none). */
export function ioctlTakesArgument(name: IoctlName): boolean {
  return REQUESTS[name][1] !== 'none';
}

/** Whether the device only writes the request's argument (`_IOR`), never reading it first. */
export function ioctlArgumentIsOutOnly(name: IoctlName): boolean {
  return REQUESTS[name][1] === 'read';
}
