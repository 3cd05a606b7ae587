/**
 * The reference devices as device files: each open file is a reference Ksock, and each
 * system call on it is decoded exactly as the KBUS character device decodes it — the real
 * ioctl request numbers, argument structures read from the caller's memory (pointers
 * included), and the ioctl return values of the module.
 */

import { LIMITS, POLL, type PointerSize } from '../wire/constants';
import { KbusError, isKbusError } from '../wire/errno';
import { ioctlName } from '../wire/ioctl';
import { decodeNameStruct, encodeMsgId, nameStructSize } from '../wire/ioctl-args';
import type { KbusSystem, Ksock } from '../reference';
import { readUserMemory, writeUserMemory } from './memory';
import type { IoctlIn } from './protocol';
import type { DeviceFiles } from './session';

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

/**
 * The callers' memory, which ioctl arguments and pointy messages point into: another
 * process's through FUSE; an agent's own for the TypeScript agent. An address the caller
 * cannot use throws `KbusError` EFAULT.
 */
export interface CallerMemory {
  read(pid: number, address: bigint, length: number): Buffer;
  write(pid: number, address: bigint, bytes: Uint8Array): void;
}

const processMemory: CallerMemory = { read: readUserMemory, write: writeUserMemory };

interface OpenFile {
  ksock: Ksock;
  device: number;
}

export class ReferenceDeviceFiles implements DeviceFiles {
  private readonly files = new Map<bigint, OpenFile>();
  private nextFh = 1n;
  /** The thread whose request is being served: SEND reads a pointy message from its memory. */
  private caller = 0;
  private wake: (fh: bigint) => void = () => undefined;
  private readonly watched = new Set<number>();
  private readonly pointerSize: PointerSize;

  constructor(
    private readonly system: KbusSystem,
    private readonly memory: CallerMemory = processMemory,
  ) {
    this.pointerSize = system.pointerSize;
  }

  deviceCount(): number {
    return this.system.deviceCount;
  }

  bindingsReport(): string {
    return this.system.procBindings();
  }

  onReadinessChange(wake: (fh: bigint) => void): void {
    this.wake = wake;
  }

  /** Readiness changes are device-wide in the reference: wake every file open on that device. */
  private watch(device: number): void {
    if (this.watched.has(device)) return;
    this.watched.add(device);
    this.system.device(device).onChange(() => {
      for (const [fh, f] of this.files) if (f.device === device) this.wake(fh);
    });
  }

  open(device: number, readOnly: boolean, pid: number): bigint {
    const memory = { read: (address: bigint, length: number) => this.readCaller(address, length) };
    const ksock = this.system.open(device, readOnly ? 'r' : 'rw', { memory, pid });
    const fh = this.nextFh++;
    this.files.set(fh, { ksock, device });
    this.watch(device);
    return fh;
  }

  private readCaller(address: bigint, length: number): Uint8Array | null {
    try {
      return this.memory.read(this.caller, address, length);
    } catch (e) {
      if (isKbusError(e)) return null;
      throw e;
    }
  }

  private ksock(fh: bigint): Ksock {
    const f = this.files.get(fh);
    if (!f) throw new KbusError('EBADF', 'fuse', `no open file ${fh}`);
    return f.ksock;
  }

  write(fh: bigint, data: Buffer, pid: number): number {
    this.caller = pid;
    return this.ksock(fh).write(data);
  }

  read(fh: bigint, size: number): Buffer {
    return this.ksock(fh).read(size);
  }

  poll(fh: bigint, pid: number): number {
    this.caller = pid;
    const r = this.ksock(fh).poll();
    return (r.readable ? POLL.IN | POLL.RDNORM : 0) | (r.writable ? POLL.OUT | POLL.WRNORM : 0);
  }

  release(fh: bigint): void {
    const f = this.files.get(fh);
    this.files.delete(fh);
    f?.ksock.close();
  }

  /**
   * A BIND, UNBIND or REPLIER argument: the struct at `arg`, then the name its pointer refers
   * to — fetched only once name_len is known to be sane, as the module does (ORD-04).
   */
  private nameArgument(pid: number, arg: bigint): { first: number; name: Buffer; nameLen: number } {
    const s = decodeNameStruct(this.memory.read(pid, arg, nameStructSize(this.pointerSize)), this.pointerSize);
    const sane = s.nameLen > 0 && s.nameLen <= LIMITS.MAX_NAME_LEN;
    return { first: s.first, name: sane ? this.memory.read(pid, s.namePtr, s.nameLen) : Buffer.alloc(0), nameLen: s.nameLen };
  }

  ioctl(fh: bigint, request: IoctlIn, pid: number): { result: number; out?: Buffer } {
    this.caller = pid;
    const k = this.ksock(fh);
    const name = ioctlName(request.cmd, this.pointerSize);
    const value = () => request.data.readUInt32LE(0);
    switch (name) {
      case 'RESET':
        k.reset();
        return { result: 0 };
      case 'DISCARD':
        k.discard();
        return { result: 0 };
      case 'BIND':
      case 'UNBIND': {
        const { first: isReplier, name: bytes, nameLen } = this.nameArgument(pid, request.arg);
        if (name === 'BIND') k.bind(bytes, isReplier !== 0, nameLen);
        else k.unbind(bytes, isReplier !== 0, nameLen);
        return { result: 0 };
      }
      case 'REPLIER': {
        const { name: bytes, nameLen } = this.nameArgument(pid, request.arg);
        const id = k.replierOf(bytes, nameLen);
        return { result: id === 0 ? 0 : 1, out: u32(id) }; // return_id is the struct's first field
      }
      case 'SEND':
        try {
          return { result: 0, out: encodeMsgId(k.send()) };
        } catch (e) {
          // An ALL_OR_WAIT send that must wait still tells the caller its message id.
          if (isKbusError(e) && e.sentId) this.memory.write(pid, request.arg, encodeMsgId(e.sentId));
          throw e;
        }
      case 'LASTSENT':
        return { result: 0, out: encodeMsgId(k.lastSent()) };
      case 'NEXTMSG': {
        const length = k.nextMsg();
        return { result: length === 0 ? 0 : 1, out: u32(length) };
      }
      case 'KSOCKID':
        return { result: 0, out: u32(k.ksockId()) };
      case 'LENLEFT':
        return { result: 0, out: u32(k.lenLeft()) };
      case 'NUMMSGS':
        return { result: 0, out: u32(k.numMsgs()) };
      case 'UNREPLIEDTO':
        return { result: 0, out: u32(k.unrepliedTo()) };
      case 'NEWDEVICE':
        return { result: 0, out: u32(k.newDevice()) };
      case 'MAXMSGS':
        return { result: 0, out: u32(k.maxMsgs(value())) };
      case 'MSGONLYONCE':
        return { result: 0, out: u32(k.msgOnlyOnce(value())) };
      case 'VERBOSE':
        return { result: 0, out: u32(k.verbose(value())) };
      case 'REPORTREPLIERBINDS':
        return { result: 0, out: u32(k.reportReplierBinds(value())) };
      case 'MAXMSGSIZE':
        return { result: 0, out: u32(k.maxMsgSize(value())) };
      case undefined:
        throw new KbusError('ENOTTY', 'ioctl', `request 0x${request.cmd.toString(16)}`);
    }
  }
}
