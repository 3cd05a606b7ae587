/**
 * The errno values a KBUS device can give, with their Linux (asm-generic) numbers,
 * and the one error type every implementation layer throws for them.
 */

import type { MessageId } from './message';

export const ERRNO = {
  ENOENT: 2,
  EINTR: 4,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EINVAL: 22,
  ENOTTY: 25,
  EPIPE: 32,
  ENAMETOOLONG: 36,
  ENOLCK: 37,
  ENOSYS: 38,
  ENOMSG: 42,
  EBADMSG: 74,
  EMSGSIZE: 90,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENOTCONN: 107,
  ECONNREFUSED: 111,
  EALREADY: 114,
  ETIMEDOUT: 110,
} as const;

export type ErrnoName = keyof typeof ERRNO;


const NAME_BY_NUMBER = new Map<number, ErrnoName>(
  (Object.entries(ERRNO) as [ErrnoName, number][]).map(([name, code]) => [code, name]),
);

/** The errno name for a Linux errno number, or `E<number>` when KBUS never uses it. */
export function errnoName(code: number): string {
  return NAME_BY_NUMBER.get(code) ?? `E${code}`;
}

/**
 * A KBUS operation refused with an errno. The reference throws it, adapters reject with it,
 * and steps compare `errno` names, so the same check works against any implementation.
 */
export class KbusError extends Error {
  /** The errno name, e.g. `EADDRNOTAVAIL`; `E<n>` for a number KBUS never uses. */
  readonly errno: string;
  readonly code: number;
  readonly operation: string;
  /**
   * The message id a refused SEND still wrote into its argument. A device does this only
   * for EAGAIN (the message stays waiting to be sent); absent means the argument was untouched.
   */
  sentId?: MessageId;

  /** By name, or by number for a failed system call (any number, even one KBUS never uses). */
  constructor(errno: ErrnoName | number, operation: string, detail?: string) {
    const name = typeof errno === 'number' ? errnoName(errno) : errno;
    super(`${operation}: ${name}${detail ? ` (${detail})` : ''}`);
    this.name = 'KbusError';
    this.errno = name;
    this.code = typeof errno === 'number' ? errno : ERRNO[errno];
    this.operation = operation;
  }

  /** For a failed system call whose errno number is known. */
  static fromCode(code: number, operation: string, detail?: string): KbusError {
    return new KbusError(code, operation, detail);
  }
}

/** The errno of a refusal, or what went wrong otherwise, in a word or a line. */
export function errnoOf(e: unknown): string {
  return e instanceof KbusError ? e.errno : e instanceof Error ? e.message : String(e);
}

export function isKbusError(e: unknown): e is KbusError {
  return e instanceof KbusError;
}
