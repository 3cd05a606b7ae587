/**
 * A Ksock: one open file on a KBUS device, with every operation the character device offers
 * (write, read, the ioctls, poll, close). Operations are synchronous and refuse with
 * `KbusError`; what concerns other Ksocks (routing, bindings) is the device's job.
 */

import { FLAG, LIMITS, MAXMSGSIZE_QUERY, MAXMSGSIZE_QUERY_ABSOLUTE, SWITCH_QUERY } from '../wire/constants';
import { KbusError, isKbusError } from '../wire/errno';
import { Message, MessageId, sameId } from '../wire/message';
import { nameBytes, nameFromBytes } from '../wire/names';
import type { Binding } from './bindings';
import type { Device } from './device';
import type { QueueState } from './policy';
import type { IoctlName } from '../wire/ioctl';
import { IdCounts } from './id-counts';
import { ioctlWithArgumentAt } from './user-arguments';
import { MessageQueue } from './queue';
import type { RoutedMessage } from './stored';
import { MessageWriter } from './writer';

export type OpenMode = 'r' | 'rw';

/** The memory of the process that opened the Ksock, which SEND reads pointy messages from. */
export interface UserMemory {
  /** The bytes at `address`, or null when that range is not mapped (EFAULT). */
  read(address: bigint, length: number): Uint8Array | null;
  /** Stores bytes at `address`; false when that range is not mapped (EFAULT). Read-only memory has none. */
  write?(address: bigint, bytes: Uint8Array): boolean;
}

/** A process that has mapped nothing: every address faults. */
const NO_MEMORY: UserMemory = { read: () => null };

export interface PollReadiness {
  readable: boolean;
  writable: boolean;
}

/** A name argument of BIND, UNBIND or REPLIER: bytes (or a latin1 string) and the name_len passed with them. */
export type NameArgument = Uint8Array | string;

interface CurrentMessage {
  bytes: Buffer;
  position: number;
}

/**
 * Its state fields are public for the device's routing and for invariant checks; clients use
 * the methods, which are the system calls.
 */
export class Ksock implements QueueState {
  readonly queue = new MessageQueue();
  /** This Ksock's bindings, oldest first. */
  readonly bindings: Binding<Ksock>[] = [];
  /** Requests popped with WANT_YOU_TO_REPLY and not yet answered by this Ksock, oldest first. */
  readonly unreplied: Message[] = [];
  /** The queue limit MAXMSGS sets. */
  limit: number = LIMITS.DEFAULT_MAX_MESSAGES;
  onlyOnce = false;
  /** The id of the message last queued here: MSGONLYONCE skips further copies of it. */
  lastPushedId: MessageId = { networkId: 0, serialNum: 0 };
  /** Reply slots held for this Ksock's own outstanding requests. */
  reserved = 0;
  /** The message of an ALL_OR_WAIT send still waiting for room ("sending" state). */
  sending: RoutedMessage | null = null;
  lastSentId: MessageId = { networkId: 0, serialNum: 0 };
  closed = false;
  private readonly awaiting = new IdCounts();
  private current: CurrentMessage | null = null;
  readonly writer: MessageWriter;

  constructor(
    readonly device: Device,
    readonly id: number,
    readonly mode: OpenMode,
    /** The process that opened it, as /proc/kbus/bindings reports. */
    readonly pid: number,
    private readonly memory?: UserMemory,
  ) {
    this.writer = new MessageWriter(
      device.pointerSize,
      (length) => device.policy.fitsSizeLimit(length, device.maxMessageSize, device.absoluteMaxMessageSize),
      (name) => device.policy.acceptsName(name, false));
  }

  get queued(): number {
    return this.queue.length;
  }

  // ---- write side ------------------------------------------------------------------------

  /** Adds bytes to the message being written; returns the count (always all of it). */
  write(bytes: Uint8Array): number {
    this.live('write');
    if (this.mode === 'r') throw new KbusError('EBADF', 'write', 'Ksock opened read-only');
    if (this.sending) throw new KbusError('EALREADY', 'write', 'an ALL_OR_WAIT send is still pending');
    this.writer.write(bytes);
    if (this.writer.complete && this.device.policy.sendsOnceWritten(this.writer.message().header.dataLen, bytes.length)) this.send();
    return bytes.length;
  }

  /** SEND: delivers the written message, or retries the pending ALL_OR_WAIT one. */
  send(): MessageId {
    this.live('SEND');
    try {
      return this.sending ? this.resend() : this.sendWritten();
    } finally {
      this.device.changed();
    }
  }

  discard(): void {
    this.live('DISCARD');
    this.writer.reset();
    this.sending = null;
    this.device.changed();
  }

  private sendWritten(): MessageId {
    if (!this.writer.started) throw new KbusError('ENOMSG', 'SEND', 'nothing written');
    if (!this.writer.complete) {
      this.writer.reset();
      throw new KbusError('EINVAL', 'SEND', 'message only partly written');
    }
    const written = this.writer.message();
    this.writer.reset();
    const message = this.device.accept(this, written);
    try {
      this.device.route(this, message);
    } catch (e) {
      if (isKbusError(e) && e.errno === 'EAGAIN') this.leaveWaiting(message, e);
      throw e;
    }
    return message.id;
  }

  /** SEND in sending state: the reply-room check again (ENOLCK drops the message), then routing. */
  private resend(): MessageId {
    const message = this.sending!;
    try {
      this.device.checkReplyRoom(this, message.flags);
    } catch (e) {
      this.sending = null;
      throw e;
    }
    return this.retrySend();
  }

  private retrySend(): MessageId {
    const message = this.sending!;
    try {
      this.device.route(this, message);
    } catch (e) {
      if (isKbusError(e) && e.errno === 'EAGAIN') this.leaveWaiting(message, e);
      else this.sending = null;
      throw e;
    }
    this.sending = null;
    return message.id;
  }

  /** The send must wait (ALL_OR_WAIT): the message stays pending, and SEND still reports its id, as the module does. */
  private leaveWaiting(message: RoutedMessage, e: KbusError): void {
    this.sending = message;
    e.sentId = message.id;
  }

  /** The bytes of a pointy message's name or data, read at SEND. */
  fetch(address: bigint, length: number): Buffer {
    const bytes = this.memory?.read(address, length);
    if (!bytes || bytes.length < length) throw new KbusError('EFAULT', 'SEND', `cannot read ${length} bytes at 0x${address.toString(16)}`);
    return Buffer.from(bytes.subarray(0, length));
  }

  /** An ioctl by name whose argument is at `address` in this Ksock's process (see user-arguments). */
  ioctlAt(name: IoctlName, address: bigint): number {
    return ioctlWithArgumentAt(this, name, address, this.memory ?? NO_MEMORY);
  }

  // ---- read side -------------------------------------------------------------------------

  /** NEXTMSG: makes the head of the queue current and returns its entire length (0 if none). */
  nextMsg(): number {
    this.live('NEXTMSG');
    const copy = this.queue.popFront();
    if (!copy) {
      if (this.device.policy.emptyNextMsgDropsCurrent()) this.current = null;
      return 0;
    }
    this.current = null;
    this.device.refill(this);
    if (copy.message.flags & FLAG.WANT_YOU_TO_REPLY) this.unreplied.push(copy.message.message);
    const bytes = this.device.policy.deliveredBytes(copy.message.bytes(this.device.pointerSize), this.device.pointerSize);
    this.current = { bytes, position: 0 };
    this.device.changed();
    return bytes.length;
  }

  /** Up to `count` more bytes of the current message; empty at its end or with none current. */
  read(count: number): Buffer {
    this.live('read');
    const c = this.current;
    if (!c || !(count > 0)) return Buffer.alloc(0);
    const end = Math.min(c.bytes.length, c.position + count);
    const chunk = Buffer.allocUnsafe(end - c.position);
    // Reading the whole message at once, as clients mostly do, copies it without making a view.
    if (c.position === 0 && end === c.bytes.length) chunk.set(c.bytes);
    else c.bytes.copy(chunk, 0, c.position, end);
    c.position = end;
    return chunk;
  }

  lenLeft(): number {
    this.live('LENLEFT');
    return this.current ? this.device.policy.bytesLeft(this.current.bytes, this.current.position, this.device.pointerSize) : 0;
  }

  /** The current message's length and read position, for invariant checks. */
  currentMessage(): Readonly<CurrentMessage> | null {
    return this.current;
  }

  // ---- bindings --------------------------------------------------------------------------

  bind(name: NameArgument, replier = false, nameLen: number = nameLength(name)): void {
    this.live('BIND');
    this.device.bind(this, bindName('BIND', name, nameLen >>> 0), replier);
    this.device.changed();
  }

  unbind(name: NameArgument, replier = false, nameLen: number = nameLength(name)): void {
    this.live('UNBIND');
    this.device.unbind(this, bindName('UNBIND', name, nameLen >>> 0), replier);
    this.device.changed();
  }

  /** REPLIER: the id of the Ksock bound as replier to exactly this string, 0 if none. */
  replierOf(name: NameArgument, nameLen: number = nameLength(name)): number {
    return this.replierQuery(name, nameLen).id;
  }

  /** REPLIER with the ioctl's own return value, which says whether a replier was found. */
  replierQuery(name: NameArgument, nameLen: number = nameLength(name)): { returned: number; id: number } {
    this.live('REPLIER');
    nameLen >>>= 0;
    if (nameLen === 0 || nameLen > LIMITS.MAX_NAME_LEN) throw new KbusError('ENAMETOOLONG', 'REPLIER', `name_len ${nameLen}`);
    const id = this.device.bindings.replierNamed(nameText(name, nameLen))?.owner.id ?? 0;
    return { returned: this.device.policy.replierReturnValue(id), id };
  }

  // ---- requests this Ksock is owed replies for ------------------------------------------------

  isAwaiting(requestId: MessageId): boolean {
    return this.awaiting.has(requestId);
  }

  /** A request of ours was delivered: hold a slot for its reply. */
  reserveReplyTo(requestId: MessageId): void {
    this.awaiting.increment(requestId);
    this.reserved++;
  }

  /** A reply (real or synthetic) to one of our requests has been queued: its slot is used up. */
  replyArrived(requestId: MessageId): void {
    if (this.awaiting.decrement(requestId)) this.reserved--;
  }

  awaitingCount(): number {
    return this.awaiting.total();
  }

  /** We have replied to `requestId`: the newest popped request with that id is answered. */
  answered(requestId: MessageId): void {
    for (let i = this.unreplied.length - 1; i >= 0; i--) {
      if (sameId(this.unreplied[i].id, requestId)) {
        this.unreplied.splice(i, 1);
        return;
      }
    }
  }

  // ---- simple ioctls ---------------------------------------------------------------------

  ksockId(): number {
    this.live('KSOCKID');
    return this.id;
  }

  lastSent(): MessageId {
    this.live('LASTSENT');
    return { ...this.lastSentId };
  }

  /** 0 queries; any other value sets the queue limit. Returns the limit. */
  maxMsgs(value: number): number {
    this.live('MAXMSGS');
    value >>>= 0;
    if (value !== 0) {
      this.limit = value;
      this.device.changed();
    }
    return this.limit;
  }

  /** Queued messages plus the unbind events set aside for this Ksock. */
  numMsgs(): number {
    this.live('NUMMSGS');
    return this.queue.length + this.device.setAside.countFor(this);
  }

  unrepliedTo(): number {
    this.live('UNREPLIEDTO');
    return this.unreplied.length;
  }

  msgOnlyOnce(value: number): number {
    this.live('MSGONLYONCE');
    const previous = this.onlyOnce;
    this.onlyOnce = switchValue('MSGONLYONCE', previous, value);
    return previous ? 1 : 0;
  }

  verbose(value: number): number {
    this.live('VERBOSE');
    const previous = this.device.verbose;
    this.device.verbose = switchValue('VERBOSE', previous, value);
    return previous ? 1 : 0;
  }

  /** Turning reporting on also queues, here, an event for every existing replier binding. */
  reportReplierBinds(value: number): number {
    this.live('REPORTREPLIERBINDS');
    const previous = this.device.reportReplierBinds;
    this.device.reportReplierBinds = switchValue('REPORTREPLIERBINDS', previous, value);
    if (value >>> 0 === 1) {
      try {
        this.device.reportExistingRepliers(this);
      } finally {
        this.device.changed();
      }
    }
    return previous ? 1 : 0;
  }

  /** 0 queries the device's limit, 1 the absolute maximum; 100..maximum sets it. */
  maxMsgSize(value: number): number {
    this.live('MAXMSGSIZE');
    value >>>= 0;
    const device = this.device;
    if (value === MAXMSGSIZE_QUERY) return device.maxMessageSize;
    if (value === MAXMSGSIZE_QUERY_ABSOLUTE) return device.absoluteMaxMessageSize;
    if (value < LIMITS.MIN_SETTABLE_MAX_MSG_SIZE || value > device.absoluteMaxMessageSize) {
      throw new KbusError('EINVAL', 'MAXMSGSIZE', `${value} is outside ${LIMITS.MIN_SETTABLE_MAX_MSG_SIZE}..${device.absoluteMaxMessageSize}`);
    }
    device.maxMessageSize = value;
    return value;
  }

  /** NEWDEVICE: creates the system's next device and returns its number. */
  newDevice(): number {
    this.live('NEWDEVICE');
    return this.device.system.newDevice().number;
  }

  /** RESET is accepted and does nothing. */
  reset(): void {
    this.live('RESET');
  }

  // ---- poll and close --------------------------------------------------------------------

  /**
   * What poll() reports now. In the ALL_OR_WAIT sending state the device first retries the
   * send; a retry that fails for good answers a request with a KBUS status message instead.
   */
  poll(): PollReadiness {
    this.live('poll');
    const queuedBefore = this.queue.length > 0;
    if (this.sending) {
      const message = this.sending;
      try {
        this.retrySend();
      } catch (e) {
        if (!isKbusError(e)) throw e;
        if (e.errno !== 'EAGAIN') this.device.sendFailedInBackground(message, e);
      } finally {
        if (!this.sending) this.device.changed();
      }
    }
    const readable = this.device.policy.pollLooksAfterRetry() ? this.queue.length > 0 : queuedBefore;
    return { readable, writable: this.mode === 'rw' && !this.sending };
  }

  /** Subscribes to "readiness may have changed" (called asynchronously); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.device.onChange(listener);
  }

  close(): void {
    this.live('close');
    this.closed = true;
    this.current = null;
    this.writer.reset();
    this.sending = null;
    this.device.release(this);
    this.device.changed();
  }

  private live(operation: string): void {
    if (this.closed) throw new KbusError('EBADF', operation, 'Ksock is closed');
  }
}

function nameLength(name: NameArgument): number {
  return typeof name === 'string' ? nameBytes(name).length : name.length;
}

/** The name_len bytes the device copies; past the end of what the caller gave there are zeros. */
function nameText(name: NameArgument, nameLen: number): string {
  const bytes = typeof name === 'string' ? nameBytes(name) : Buffer.from(name);
  if (bytes.length >= nameLen) return nameFromBytes(bytes.subarray(0, nameLen));
  const padded = Buffer.alloc(nameLen);
  bytes.copy(padded);
  return nameFromBytes(padded);
}

/** BIND and UNBIND check name_len before the name itself. */
function bindName(operation: string, name: NameArgument, nameLen: number): string {
  if (nameLen === 0) throw new KbusError('EBADMSG', operation, 'name_len 0');
  if (nameLen > LIMITS.MAX_NAME_LEN) throw new KbusError('ENAMETOOLONG', operation, `name_len ${nameLen}`);
  return nameText(name, nameLen);
}

/** The switch ioctls (a u32 argument): 0 or 1 sets, SWITCH_QUERY keeps; anything else is refused. */
function switchValue(operation: string, current: boolean, value: number): boolean {
  value >>>= 0;
  if (value === SWITCH_QUERY) return current;
  if (value === 0 || value === 1) return value === 1;
  throw new KbusError('EINVAL', operation, `argument ${value}`);
}
