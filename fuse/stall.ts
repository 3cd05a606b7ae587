/**
 * A deliberately faulty server, for testing what happens to a client of a device that stops
 * answering (the suite's per-call bounds): one call of one ioctl is never answered. The held
 * call ends only when its caller is interrupted (a signal, or the caller's exit), as a call
 * blocked interruptibly in a kernel module would.
 *
 *   KBUS_FUSE_STALL=NEXTMSG:3   answers 3 NEXTMSG calls, holds the 4th, answers the rest
 */

import type { PointerSize } from '../wire/constants';
import { IOCTL_NAMES, ioctlName, type IoctlName } from '../wire/ioctl';

export const STALL_ENV = 'KBUS_FUSE_STALL';

export interface Stall {
  ioctl: IoctlName;
  /** How many calls of it are answered before the one that is held. */
  after: number;
}

export function stallFromEnv(env: NodeJS.ProcessEnv = process.env): Stall | undefined {
  const text = env[STALL_ENV];
  if (text === undefined || text === '') return undefined;
  const m = /^([A-Z]+):(\d+)$/.exec(text);
  const ioctl = m?.[1] as IoctlName | undefined;
  if (!m || !IOCTL_NAMES.includes(ioctl!)) throw new Error(`${STALL_ENV} must be IOCTL:N (e.g. NEXTMSG:3), not "${text}"`);
  return { ioctl: ioctl!, after: Number(m[2]) };
}

/**
 * Whether each ioctl request (by number) is the one to hold; true at most once, said on stderr
 * so that a test can time what its client does next.
 */
export function stallingOne(stall: Stall, pointerSize: PointerSize): (cmd: number) => boolean {
  let seen = 0;
  return (cmd) => {
    const hold = ioctlName(cmd, pointerSize) === stall.ioctl && seen++ === stall.after;
    if (hold) process.stderr.write(`${STALL_ENV}: holding ${stall.ioctl} call ${stall.after + 1}, unanswered\n`);
    return hold;
  };
}
