/**
 * An ioctl whose argument lives in the caller's memory, as a C client passes it: the device
 * copies the argument in before acting (BIND's name structure, a u32 to set) and copies its
 * result out after acting (KSOCKID's id). Memory the caller does not hold faults with EFAULT,
 * at the moment the device touches it, as in the module.
 */

import type { PointerSize } from '../wire/constants';
import { KbusError } from '../wire/errno';
import type { IoctlName } from '../wire/ioctl';
import type { MessageId } from '../wire/message';
import type { Ksock, UserMemory } from './ksock';

/** The ioctl's return value (the result itself goes to the caller's memory). */
export function ioctlWithArgumentAt(k: Ksock, name: IoctlName, address: bigint, memory: UserMemory): number {
  const user = new UserArgument(name, address, memory, k.device.policy.userMemoryFaults(), k.device.pointerSize);
  switch (name) {
    case 'RESET':
      k.reset();
      return 0;
    case 'DISCARD':
      k.discard();
      return 0;
    case 'BIND':
    case 'UNBIND': {
      const request = user.nameStruct();
      const bytes = user.bytesAt(request.namePtr, request.nameLen);
      if (name === 'BIND') k.bind(bytes, request.first !== 0, request.nameLen);
      else k.unbind(bytes, request.first !== 0, request.nameLen);
      return 0;
    }
    case 'REPLIER': {
      const query = user.nameStruct();
      const { returned, id } = k.replierQuery(user.bytesAt(query.namePtr, query.nameLen), query.nameLen);
      user.putU32(id);
      return returned;
    }
    case 'KSOCKID': return user.putU32(k.ksockId());
    case 'NEXTMSG': {
      const length = k.nextMsg();
      user.putU32(length);
      return length > 0 ? 1 : 0;
    }
    case 'LENLEFT': return user.putU32(k.lenLeft());
    case 'SEND': return user.putId(k.send());
    case 'LASTSENT': return user.putId(k.lastSent());
    case 'NUMMSGS': return user.putU32(k.numMsgs());
    case 'UNREPLIEDTO': return user.putU32(k.unrepliedTo());
    case 'NEWDEVICE': return user.putU32(k.newDevice());
    case 'MAXMSGS': return user.putU32(k.maxMsgs(user.u32()));
    case 'MSGONLYONCE': return user.putU32(k.msgOnlyOnce(user.u32()));
    case 'VERBOSE': return user.putU32(k.verbose(user.u32()));
    case 'REPORTREPLIERBINDS': return user.putU32(k.reportReplierBinds(user.u32()));
    case 'MAXMSGSIZE': return user.putU32(k.maxMsgSize(user.u32()));
  }
}

/** The argument pointer of one call; a variant that ignores faults reads zeros and drops writes. */
class UserArgument {
  constructor(
    private readonly ioctl: IoctlName,
    private readonly address: bigint,
    private readonly memory: UserMemory,
    private readonly faults: boolean,
    private readonly pointerSize: PointerSize,
  ) {}

  bytesAt(address: bigint, length: number): Uint8Array {
    const bytes = this.memory.read(address, length);
    if (bytes) return bytes;
    if (this.faults) throw new KbusError('EFAULT', this.ioctl, `cannot read ${length} bytes at 0x${address.toString(16)}`);
    return new Uint8Array(length);
  }

  u32(): number {
    return Buffer.from(this.bytesAt(this.address, 4)).readUInt32LE(0);
  }

  /** `struct kbus_bind_request` / `kbus_bind_query`: a u32, name_len, then the name pointer. */
  nameStruct(): { first: number; nameLen: number; namePtr: bigint } {
    const b = Buffer.from(this.bytesAt(this.address, 8 + this.pointerSize));
    return { first: b.readUInt32LE(0), nameLen: b.readUInt32LE(4), namePtr: this.pointerSize === 8 ? b.readBigUInt64LE(8) : BigInt(b.readUInt32LE(8)) };
  }

  putU32(value: number): 0 {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0, 0);
    return this.put(b);
  }

  putId(id: MessageId): 0 {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(id.networkId >>> 0, 0);
    b.writeUInt32LE(id.serialNum >>> 0, 4);
    return this.put(b);
  }

  private put(bytes: Uint8Array): 0 {
    if (!this.memory.write?.(this.address, bytes) && this.faults) {
      throw new KbusError('EFAULT', this.ioctl, `cannot write ${bytes.length} bytes at 0x${this.address.toString(16)}`);
    }
    return 0;
  }
}
