/**
 * A Ksock on a KBUS device file: one open file descriptor, every method one system call on
 * it, with arguments laid out as a C client lays them out.
 */

import type { PointerSize } from '../../wire/constants';
import { KbusError } from '../../wire/errno';
import { IOCTL, type IoctlName } from '../../wire/ioctl';
import { encodeHeader, type MessageHeader, type MessageId } from '../../wire/message';
import { nameBytes } from '../../wire/names';
import type { Ksock, PollResult, UserBuffer } from '../adapter';
import { U32IoctlKsock } from '../device-ksock';
import { decodeMsgId, decodeU32Arg, encodeBindQuery, encodeBindRequest, encodeU32Arg, MSG_ID_SIZE } from '../../wire/ioctl-args';
import { NativeBuffer, sysClose, sysIoctl, sysIoctlAt, sysPoll, sysRead, sysWrite, UNMAPPED_ADDRESS } from './syscalls';

const UNTOUCHED_MSG_ID = Buffer.alloc(MSG_ID_SIZE, 0xff);

export class KernelKsock extends U32IoctlKsock implements Ksock {
  private fd: number | undefined;
  /** Pointy-message buffers live as long as the Ksock, as a C client's would. */
  private readonly buffers: NativeBuffer[] = [];

  constructor(
    fd: number,
    private readonly pointerSize: PointerSize,
    private readonly onClose: (ksock: KernelKsock) => void,
    /** The ioctl system call; tests substitute a recorder to see the bytes a request carries. */
    private readonly ioctlCall: (...args: Parameters<typeof sysIoctl>) => number | Promise<number> = sysIoctl,
  ) {
    super();
    this.fd = fd;
  }

  private openFd(operation: string): number {
    if (this.fd === undefined) throw new KbusError('EBADF', operation, 'Ksock already closed');
    return this.fd;
  }

  private async ioctl(name: IoctlName, arg: Buffer | null): Promise<number> {
    return this.ioctlCall(this.openFd(name), IOCTL[this.pointerSize][name], arg, name);
  }

  /** An ioctl whose argument is a u32 going in and coming back changed. */
  protected async u32(name: IoctlName, value = 0): Promise<number> {
    const arg = encodeU32Arg(value, this.pointerSize);
    await this.ioctl(name, arg);
    return decodeU32Arg(arg);
  }

  /** Calls `use` with the address of a NUL-terminated copy of `name`, as a C string literal would be. */
  private async withName<T>(name: Uint8Array, use: (address: bigint) => Promise<T>): Promise<T> {
    const native = new NativeBuffer(Buffer.concat([name, Buffer.alloc(1)]));
    try {
      return await use(native.address);
    } finally {
      // Only once the device has answered, even a call its caller stopped waiting for.
      native.free();
    }
  }

  async write(bytes: Uint8Array): Promise<number> {
    return sysWrite(this.openFd('write'), bytes);
  }

  async read(count: number): Promise<Buffer> {
    return sysRead(this.openFd('read'), count);
  }

  async send(): Promise<MessageId> {
    // Filled with a pattern no id has, so that a failed SEND shows whether it wrote its argument.
    const arg = Buffer.from(UNTOUCHED_MSG_ID);
    try {
      await this.ioctl('SEND', arg);
    } catch (e) {
      if (e instanceof KbusError && !arg.equals(UNTOUCHED_MSG_ID)) e.sentId = decodeMsgId(arg);
      throw e;
    }
    return decodeMsgId(arg);
  }

  async discard(): Promise<void> {
    await this.ioctl('DISCARD', null);
  }

  async nextMsg(): Promise<number> {
    return this.u32('NEXTMSG');
  }

  async lenLeft(): Promise<number> {
    return this.u32('LENLEFT');
  }

  async bind(name: string, replier: boolean): Promise<void> {
    const bytes = nameBytes(name);
    await this.bindRaw(bytes, bytes.length, replier, false);
  }

  async unbind(name: string, replier: boolean): Promise<void> {
    const bytes = nameBytes(name);
    await this.bindRaw(bytes, bytes.length, replier, true);
  }

  async bindRaw(name: Buffer, nameLen: number, replier: boolean, unbind: boolean): Promise<void> {
    await this.withName(name, (address) =>
      this.ioctl(unbind ? 'UNBIND' : 'BIND', encodeBindRequest(replier, nameLen, address, this.pointerSize)),
    );
  }

  async replierOf(name: string): Promise<number> {
    return (await this.replierQuery(name)).id;
  }

  async replierQuery(name: string): Promise<{ returned: number; id: number }> {
    const bytes = nameBytes(name);
    return this.withName(bytes, async (address) => {
      const query = encodeBindQuery(bytes.length, address, this.pointerSize);
      const returned = await this.ioctl('REPLIER', query);
      return { returned, id: decodeU32Arg(query) }; // id: return_id
    });
  }

  async lastSent(): Promise<MessageId> {
    const arg = Buffer.alloc(MSG_ID_SIZE);
    await this.ioctl('LASTSENT', arg);
    return decodeMsgId(arg);
  }

  async reset(): Promise<void> {
    await this.ioctl('RESET', null);
  }

  async poll(want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult> {
    return sysPoll(this.openFd('poll'), want, timeoutMs);
  }

  async close(): Promise<void> {
    const fd = this.openFd('close');
    this.fd = undefined;
    for (const b of this.buffers.splice(0)) b.free();
    this.onClose(this);
    sysClose(fd);
  }

  async allocate(bytes: Uint8Array): Promise<UserBuffer> {
    const native = new NativeBuffer(bytes);
    this.buffers.push(native);
    return native;
  }

  async writeHeader(header: MessageHeader): Promise<number> {
    return this.write(encodeHeader(header, this.pointerSize));
  }

  async rawIoctl(request: number, arg: number): Promise<number> {
    return this.ioctlCall(this.openFd('ioctl'), request, encodeU32Arg(arg, this.pointerSize), 'ioctl');
  }

  async ioctlWithBadPointer(request: number): Promise<number> {
    return sysIoctlAt(this.openFd('ioctl'), request, UNMAPPED_ADDRESS, 'ioctl');
  }
}
