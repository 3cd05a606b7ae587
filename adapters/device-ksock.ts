/**
 * What the adapters that reach a device's Ksocks (the kernel adapter through koffi, the remote
 * one through an agent) do alike: only how an ioctl reaches the device differs between them.
 */

import type { IoctlName } from '../wire/ioctl';
import type { Ksock } from './adapter';

type U32Ioctls = Pick<Ksock, 'ksockId' | 'maxMsgs' | 'numMsgs' | 'unrepliedTo' | 'msgOnlyOnce' | 'verbose' | 'reportReplierBinds' | 'maxMsgSize' | 'newDevice'>;

/** The ioctls whose argument is one u32 going in and coming back changed; the subclass's `u32` makes the call. */
export abstract class U32IoctlKsock implements U32Ioctls {
  /** Calls `name` with `value` as its u32 argument and gives the u32 it left there. */
  protected abstract u32(name: IoctlName, value?: number): Promise<number>;

  ksockId(): Promise<number> {
    return this.u32('KSOCKID');
  }

  maxMsgs(value: number): Promise<number> {
    return this.u32('MAXMSGS', value);
  }

  numMsgs(): Promise<number> {
    return this.u32('NUMMSGS');
  }

  unrepliedTo(): Promise<number> {
    return this.u32('UNREPLIEDTO');
  }

  msgOnlyOnce(value: number): Promise<number> {
    return this.u32('MSGONLYONCE', value);
  }

  verbose(value: number): Promise<number> {
    return this.u32('VERBOSE', value);
  }

  reportReplierBinds(value: number): Promise<number> {
    return this.u32('REPORTREPLIERBINDS', value);
  }

  maxMsgSize(value: number): Promise<number> {
    return this.u32('MAXMSGSIZE', value);
  }

  newDevice(): Promise<number> {
    return this.u32('NEWDEVICE');
  }
}

/** Closes every Ksock a scenario left open; the first refusal is thrown once all were tried. */
export async function closeLeftOpen(open: Iterable<Ksock>): Promise<{ leftOpen: number }> {
  const left = [...open];
  const failures: unknown[] = [];
  for (const k of left) await k.close().catch((e: unknown) => failures.push(e));
  if (failures.length > 0) throw failures[0];
  return { leftOpen: left.length };
}
