/**
 * A Ksock opened by an agent: every method is one request, carrying the same system call and
 * argument bytes a C client on the board would make; names behind pointers travel as pointer
 * slots the agent fills with its own addresses.
 */

import { POLL, type PointerSize } from '../../wire/constants';
import { KbusError } from '../../wire/errno';
import { IOCTL, type IoctlName } from '../../wire/ioctl';
import { decodeMsgId, decodeU32Arg, encodeBindQuery, encodeBindRequest, encodeU32Arg, MSG_ID_SIZE } from '../../wire/ioctl-args';
import { encodeHeader, type MessageHeader, type MessageId } from '../../wire/message';
import { nameBytes } from '../../wire/names';
import { encodeIoctl, MAX_POLL_MS, type PointerSlot, STATUS, u32, u64 } from '../../wire/remote';
import type { Ksock, PollResult, UserBuffer } from '../adapter';
import { U32IoctlKsock } from '../device-ksock';
import type { AgentConnection } from './connection';

const UNTOUCHED_MSG_ID = Buffer.alloc(MSG_ID_SIZE, 0xff);
/** Where the name pointer sits in kbus_bind_request and kbus_bind_query. */
const NAME_POINTER_OFFSET = 8;

export class RemoteKsock extends U32IoctlKsock implements Ksock {
  private handle: number | undefined;
  /** A STORE that failed (UserBuffer.set cannot wait for its answer): reported by the next call. */
  private storeFailure: Error | undefined;

  constructor(
    private readonly agent: AgentConnection,
    handle: number,
    private readonly pointerSize: PointerSize,
    private readonly onClose: (ksock: RemoteKsock) => void,
  ) {
    super();
    this.handle = handle;
  }

  private open(operation: string): number {
    if (this.handle === undefined) throw new KbusError('EBADF', operation, 'Ksock already closed');
    if (this.storeFailure) throw this.storeFailure;
    return this.handle;
  }

  /** An ioctl whose argument is placed in the agent's memory; resolves with its value and the argument after the call. */
  private async ioctl(name: IoctlName, arg: Buffer | null, pointers?: PointerSlot[]): Promise<{ value: number; arg: Buffer }> {
    const handle = this.open(name);
    const answer = await this.agent.value('IOCTL', name, ...encodeIoctl(handle, IOCTL[this.pointerSize][name], arg ? { kind: 'buffer', bytes: arg, pointers } : { kind: 'none' }));
    return { value: answer.value, arg: answer.body };
  }

  protected async u32(name: IoctlName, value = 0): Promise<number> {
    return decodeU32Arg((await this.ioctl(name, encodeU32Arg(value, this.pointerSize))).arg);
  }

  async write(bytes: Uint8Array): Promise<number> {
    return (await this.agent.value('WRITE', 'write', u32(this.open('write')), bytes)).value;
  }

  async read(count: number): Promise<Buffer> {
    return (await this.agent.value('READ', 'read', u32(this.open('read')), u32(count))).body;
  }

  async send(): Promise<MessageId> {
    // As the kernel adapter: a pattern no id has shows whether a failed SEND wrote its argument.
    const answer = await this.agent.call('IOCTL', ...encodeIoctl(this.open('SEND'), IOCTL[this.pointerSize].SEND, { kind: 'buffer', bytes: UNTOUCHED_MSG_ID }));
    if (answer.status === STATUS.ERRNO) {
      const e = KbusError.fromCode(answer.value, 'SEND');
      if (!answer.body.equals(UNTOUCHED_MSG_ID)) e.sentId = decodeMsgId(answer.body);
      throw e;
    }
    return decodeMsgId(answer.body);
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
    const request = encodeBindRequest(replier, nameLen, 0n, this.pointerSize);
    await this.ioctl(unbind ? 'UNBIND' : 'BIND', request, [{ offset: NAME_POINTER_OFFSET, bytes: name }]);
  }

  async replierOf(name: string): Promise<number> {
    return (await this.replierQuery(name)).id;
  }

  async replierQuery(name: string): Promise<{ returned: number; id: number }> {
    const bytes = nameBytes(name);
    const { value, arg } = await this.ioctl('REPLIER', encodeBindQuery(bytes.length, 0n, this.pointerSize), [{ offset: NAME_POINTER_OFFSET, bytes }]);
    return { returned: value, id: decodeU32Arg(arg) }; // id: return_id
  }

  async lastSent(): Promise<MessageId> {
    return decodeMsgId((await this.ioctl('LASTSENT', Buffer.alloc(MSG_ID_SIZE))).arg);
  }

  async reset(): Promise<void> {
    await this.ioctl('RESET', null);
  }

  async poll(want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult> {
    const events = (want.readable ? POLL.IN : 0) | (want.writable ? POLL.OUT : 0);
    const timeout = Math.min(Math.max(0, Math.ceil(timeoutMs)), MAX_POLL_MS);
    const revents = (await this.agent.value('POLL', 'poll', u32(this.open('poll')), u32(events), u32(timeout))).value;
    return { readable: (revents & POLL.IN) !== 0, writable: (revents & POLL.OUT) !== 0 };
  }

  async close(): Promise<void> {
    const handle = this.open('close');
    this.handle = undefined;
    this.onClose(this);
    await this.agent.value('CLOSE', 'close', u32(handle));
  }

  async allocate(bytes: Uint8Array): Promise<UserBuffer> {
    const handle = u32(this.open('allocate'));
    const address = (await this.agent.value('ALLOC', 'allocate', handle, bytes)).body.readBigUInt64LE(0);
    return {
      address,
      // Requests are served in order, so the bytes are in place before any later call of ours.
      set: (next) => {
        this.agent.value('STORE', 'store', handle, u64(address), next).catch((e: Error) => (this.storeFailure ??= e));
      },
    };
  }

  async writeHeader(header: MessageHeader): Promise<number> {
    return this.write(encodeHeader(header, this.pointerSize));
  }

  async rawIoctl(request: number, arg: number): Promise<number> {
    const handle = this.open('ioctl');
    return (await this.agent.value('IOCTL', 'ioctl', ...encodeIoctl(handle, request, { kind: 'buffer', bytes: encodeU32Arg(arg, this.pointerSize) }))).value;
  }

  async ioctlWithBadPointer(request: number): Promise<number> {
    const handle = this.open('ioctl');
    return (await this.agent.value('IOCTL', 'ioctl', ...encodeIoctl(handle, request, { kind: 'unusable' }))).value;
  }
}
