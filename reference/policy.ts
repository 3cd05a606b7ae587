/**
 * The decisions a KBUS device makes, one small method each, so that a variant (a deliberately
 * broken "mutant", or an experiment) can change one decision by overriding one method:
 *
 *   class WildcardFirst extends KbusPolicy {
 *     override replierRank(b: Binding) { return -super.replierRank(b); }
 *   }
 *   new KbusSystem({ policy: new WildcardFirst() });
 */

import { FLAG, KBUS_NAME, PointerSize } from '../wire/constants';
import type { Message, MessageHeader, MessageId } from '../wire/message';
import { isValidName } from '../wire/names';
import type { Binding } from './bindings';
import type { MessageQueue, QueuedCopy } from './queue';

/** How a send treats recipients without room. */
export type SendMode = 'lossy' | 'all-or-fail' | 'all-or-wait';

/** Why a copy goes to a Ksock. */
export type CopyRole = 'replier' | 'listener' | 'requester';

export type SyntheticKind = 'GoneAway' | 'Ignored' | 'Unbound' | 'Disappeared' | 'ErrorSending';

/** What the fullness test needs to know about a Ksock. */
export interface QueueState {
  /** Messages queued and not yet popped. */
  readonly queued: number;
  /** Reply slots held for the Ksock's own outstanding requests. */
  readonly reserved: number;
  /** The queue limit (MAXMSGS). */
  readonly limit: number;
}

const SYNTHETIC_NAME: Record<SyntheticKind, string> = {
  GoneAway: KBUS_NAME.GONE_AWAY,
  Ignored: KBUS_NAME.IGNORED,
  Unbound: KBUS_NAME.UNBOUND,
  Disappeared: KBUS_NAME.DISAPPEARED,
  ErrorSending: KBUS_NAME.ERROR_SENDING,
};

const RANK: Record<Binding['kind'], number> = { exact: 0, '%': 1, '*': 2 };

export class KbusPolicy {
  /** The serial number after `last`: one more, skipping 0 when the counter wraps. */
  nextSerial(last: number): number {
    return (last + 1) >>> 0 || 1;
  }

  /** What KBUS overwrites in every message a user sends: `from` is the sender, `extra` is zero, SYNTHETIC is cleared. */
  acceptedFields(sent: Pick<MessageHeader, 'from' | 'extra' | 'flags'>, senderId: number): Pick<Message, 'from' | 'extra' | 'flags'> {
    return { from: senderId, extra: 0, flags: (sent.flags & ~FLAG.SYNTHETIC) >>> 0 };
  }

  /** Name syntax: a binding's name may end in a wildcard word, a message's may not. */
  acceptsName(name: string, wildcardAllowed: boolean): boolean {
    return isValidName(name, { wildcardAllowed });
  }

  /** A message sent with network id 0 gets a fresh id; any other id is the sender's business. */
  assignId(written: MessageId, freshSerial: () => number): MessageId {
    return written.networkId === 0 ? { networkId: 0, serialNum: freshSerial() } : { ...written };
  }

  /** Whether a `%` binding matches a name `extraWords` words longer than its prefix. */
  percentMatches(extraWords: number): boolean {
    return extraWords === 1;
  }

  /** Lower wins: exact beats `%` beats `*`. */
  replierRank(binding: Binding): number {
    return RANK[binding.kind];
  }

  /** The one replier for a request among every matching replier binding; ties go to the newest. */
  chooseReplier<B extends Binding>(candidates: readonly B[]): B | undefined {
    let best: B | undefined;
    for (const b of candidates) {
      if (!best) best = b;
      else {
        const diff = this.replierRank(b) - this.replierRank(best);
        if (diff < 0 || (diff === 0 && b.seq > best.seq)) best = b;
      }
    }
    return best;
  }

  /** A request can only be sent when some replier is bound to its name. */
  requestNeedsReplier(): boolean {
    return true;
  }

  /**
   * Flags of one delivered copy: only a request's copy for its replier asks for the reply. The
   * requester's copy of a message that is both reply and request is delivered as a reply, so
   * it does not (REQ-09): the requester owes nothing for it.
   */
  copyFlags(sentFlags: number, role: CopyRole): number {
    const flags = sentFlags & ~FLAG.WANT_YOU_TO_REPLY;
    const asked = role === 'replier' && (sentFlags & FLAG.WANT_A_REPLY) !== 0;
    return (asked ? flags | FLAG.WANT_YOU_TO_REPLY : flags) >>> 0;
  }

  /** A request to a full replier fails whatever the send mode: only listeners may miss a message. */
  fullReplierFails(_mode: SendMode): boolean {
    return true;
  }

  sendMode(flags: number): SendMode {
    if (flags & FLAG.ALL_OR_FAIL) return 'all-or-fail';
    if (flags & FLAG.ALL_OR_WAIT) return 'all-or-wait';
    return 'lossy';
  }

  /** URGENT messages jump to the front of each queue. */
  queuesAtFront(flags: number): boolean {
    return (flags & FLAG.URGENT) !== 0;
  }

  /** Full = queued + reserved reply slots ≥ limit; `spareSlots` are reservations usable by this delivery. */
  isFull(k: QueueState, spareSlots = 0): boolean {
    return k.queued + k.reserved - spareSlots >= k.limit;
  }

  /** Under MSGONLYONCE a Ksock gets one copy of a message however many of its bindings match. */
  honoursOnlyOnce(): boolean {
    return true;
  }

  /** The copies an UNBIND takes: those queued through that very binding, and no other (BIND-07). */
  copiesOwedTo(queue: MessageQueue, binding: Binding): QueuedCopy[] {
    return queue.owedTo(binding);
  }

  /**
   * poll() judges readability after retrying a waiting send, so a status message that retry
   * queued for the poller itself counts (POLL-01): a poll waiting only to read cannot miss it.
   */
  pollLooksAfterRetry(): boolean {
    return true;
  }

  /** Synthetic replies go to the requester alone, never to listeners of their name (SYN-10). */
  syntheticReachesListeners(): boolean {
    return false;
  }

  /** The bytes NEXTMSG makes current: the message's entire form exactly as encoded. */
  deliveredBytes(entire: Buffer, _pointerSize: PointerSize): Buffer {
    return entire;
  }

  /** LENLEFT: the bytes of the current message not yet read (the spec's count, IOC-13). */
  bytesLeft(message: Buffer, position: number, _pointerSize: PointerSize): number {
    return message.length - position;
  }

  /** A waiting poll is woken by any change that may make its Ksock ready (POLL-05). */
  wakesWaiters(): boolean {
    return true;
  }

  /** A request's copy for its replier is queued before any listener copy, whatever the binding order (REP-07). */
  replierCopyFirst(): boolean {
    return true;
  }

  /** The listener bindings a message is delivered through, newest first: every matching one. */
  listenerBindings<B extends Binding>(matching: B[]): B[] {
    return matching;
  }

  /** How many copies of a request its replier's Ksock gets: one, however many of its replier bindings match. */
  replierCopies<B extends Binding>(chosen: B, _matching: readonly B[]): B[] {
    return [chosen];
  }

  /** MAXMSGSIZE of a new device: the build's configured default. */
  defaultMaxMessageSize(configured: number): number {
    return configured;
  }

  /** Whether a message of `length` bytes may be written under `limit` (never above `absolute`, which `limit` never exceeds). */
  fitsSizeLimit(length: number, limit: number, _absolute: number): boolean {
    return length <= limit;
  }

  /** Whatever a writer put in the header's alignment holes, readers get zeros there (LAY-12). */
  clearsHeaderHoles(): boolean {
    return true;
  }

  /** Whether a message is sent the moment its last byte is written, without SEND: never. */
  sendsOnceWritten(_dataLen: number, _lastPiece: number): boolean {
    return false;
  }

  /** REPLIER's return value: 1 when some Ksock is replier for the name, else 0 (IOC-04). */
  replierReturnValue(replierId: number): number {
    return replierId === 0 ? 0 : 1;
  }

  /** NEXTMSG on an empty queue leaves no message current, even one only partly read (IO-02). */
  emptyNextMsgDropsCurrent(): boolean {
    return true;
  }

  /** An ioctl argument the caller's memory does not hold faults (EFAULT) rather than reading as zeros. */
  userMemoryFaults(): boolean {
    return true;
  }

  /** Whether /proc/kbus/stats lists an open Ksock: every one, whatever its open mode. */
  listsInStats(_mode: 'r' | 'rw'): boolean {
    return true;
  }

  /** How many devices loading the module creates for a device-count parameter of `requested`. */
  devicesAtLoad(requested: number): number {
    return requested;
  }

  /**
   * The status message KBUS sends a requester whose request will never be answered, or null to
   * send none. Every request gets one, stateful ones included (the spec's promise, SYN-12).
   */
  syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number): Omit<Message, 'id'> | null {
    const fromReplier = kind === 'GoneAway' || kind === 'Ignored' || kind === 'Unbound';
    return {
      name: SYNTHETIC_NAME[kind],
      inReplyTo: { ...request.id },
      to: request.from,
      from: fromReplier ? replierId : 0,
      origFrom: { networkId: 0, localId: 0 },
      finalTo: { networkId: 0, localId: 0 },
      extra: 0,
      flags: FLAG.SYNTHETIC,
      data: Buffer.alloc(0),
    };
  }
}
