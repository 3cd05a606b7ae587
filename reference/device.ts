/**
 * One KBUS device (/dev/kbusN): its Ksocks, bindings, serial counter and settings, and the
 * routing of every message sent on it. Decisions that a variant may want to change are asked
 * of the policy; this class applies them in the module's order of checks.
 */

import { FLAG, KBUS_NAME, PointerSize } from '../wire/constants';
import { ErrnoName, KbusError, isKbusError } from '../wire/errno';
import { Message, MessageHeader, MessageId, completeEntire, encodeReplierBindEvent, headerHoles, sameId } from '../wire/message';
import { nameFromBytes } from '../wire/names';
import { Binding, BindingIndex } from './bindings';
import { Ksock, OpenMode, UserMemory } from './ksock';
import { KbusPolicy, SyntheticKind } from './policy';
import { QueuedCopy } from './queue';
import { SetAsideList } from './set-aside';
import { EntireMessage, RoutedMessage, StoredMessage } from './stored';
import type { KbusSystem } from './system';
import type { WrittenMessage } from './writer';

const NO_ID: MessageId = { networkId: 0, serialNum: 0 };
const NO_ADDRESS = { networkId: 0, localId: 0 };

export class Device {
  readonly bindings = new BindingIndex<Ksock>();
  readonly ksocks = new Map<number, Ksock>();
  readonly setAside = new SetAsideList<Ksock>();
  maxMessageSize: number;
  reportReplierBinds = false;
  verbose = false;
  private lastSerial = 0;
  private lastKsockId = 0;
  private readonly changeListeners = new Set<() => void>();
  private changeScheduled = false;
  /** The policy's `%` rule and the serial counter as functions, made once rather than per send. */
  private readonly percentRule = (extraWords: number) => this.policy.percentMatches(extraWords);
  private readonly takeSerial = () => this.freshSerial();

  constructor(
    readonly system: KbusSystem,
    readonly number: number,
    readonly pointerSize: PointerSize,
    readonly absoluteMaxMessageSize: number,
    defaultMaxMessageSize: number,
    readonly policy: KbusPolicy,
  ) {
    this.maxMessageSize = defaultMaxMessageSize;
  }

  open(mode: OpenMode, pid: number, memory?: UserMemory): Ksock {
    this.lastKsockId = (this.lastKsockId + 1) >>> 0 || 1;
    const ksock = new Ksock(this, this.lastKsockId, mode, pid, memory);
    this.ksocks.set(ksock.id, ksock);
    return ksock;
  }

  /** The counters /proc/kbus/stats reports. */
  counters(): { nextKsockId: number; nextSerial: number } {
    return { nextKsockId: (this.lastKsockId + 1) >>> 0, nextSerial: (this.lastSerial + 1) >>> 0 };
  }

  /** Puts the serial counter where a long-running device might be (to reach its wrap). */
  setLastSerial(serial: number): void {
    this.lastSerial = serial >>> 0;
  }

  /** The serial number counter: one per device, shared by user and KBUS messages. */
  freshSerial(): number {
    this.lastSerial = this.policy.nextSerial(this.lastSerial);
    return this.lastSerial;
  }

  // ---- change notification ---------------------------------------------------------------

  /** Subscribes to "some Ksock's readiness may have changed"; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells subscribers, once per burst of changes and never from inside an operation. */
  changed(): void {
    if (this.changeScheduled || this.changeListeners.size === 0 || !this.policy.wakesWaiters()) return;
    this.changeScheduled = true;
    queueMicrotask(() => {
      this.changeScheduled = false;
      for (const listener of [...this.changeListeners]) listener();
    });
  }

  // ---- sending ---------------------------------------------------------------------------

  /**
   * The SEND checks up to id assignment: a pointy message's name and data are fetched and its
   * name judged, a request needs room for its reply, then the message gets its id. KBUS also
   * clears SYNTHETIC (users cannot send KBUS's own messages) and zeroes `extra`.
   */
  accept(sender: Ksock, written: WrittenMessage): RoutedMessage {
    const h = written.header;
    const fetched = written.entire ? null : this.fetchPointed(sender, h);
    this.checkReplyRoom(sender, h.flags);
    const id = this.policy.assignId(h.id, this.takeSerial);
    sender.lastSentId = id;
    const kbusSets = this.policy.acceptedFields(h, sender.id);
    if (written.entire) {
      // The header was decoded from the written bytes for this message alone: its parts are
      // shared, and completing the bytes (now the readers', no more the writer's) patches only
      // what KBUS set.
      const message = new EntireMessage(id, h, kbusSets, written.name, written.entire, this.pointerSize);
      const holes = this.policy.clearsHeaderHoles() ? [] : headerHoles(this.pointerSize).map(([from, to]) => [from, Buffer.from(written.entire.subarray(from, to))] as const);
      completeEntire(written.entire, message, this.pointerSize);
      for (const [from, bytes] of holes) bytes.copy(written.entire, from);
      return message;
    }
    return {
      id,
      inReplyTo: h.inReplyTo,
      to: h.to,
      origFrom: h.origFrom,
      finalTo: h.finalTo,
      from: kbusSets.from,
      extra: kbusSets.extra,
      flags: kbusSets.flags,
      name: fetched!.name,
      data: fetched!.data,
    };
  }

  /** A pointy message's name (judged here) and data, from the sender's memory. */
  private fetchPointed(sender: Ksock, h: MessageHeader): { name: string; data: Buffer } {
    // The module copies the name's NUL too, so that byte must be readable as well.
    const name = nameFromBytes(sender.fetch(h.namePtr, h.nameLen + 1).subarray(0, h.nameLen));
    if (!this.policy.acceptsName(name, false)) throw new KbusError('EBADMSG', 'SEND', 'bad message name');
    return { name, data: h.dataLen > 0 ? sender.fetch(h.dataPtr, h.dataLen) : Buffer.alloc(0) };
  }

  /** A request may only be sent while the sender's queue has room for its reply (ENOLCK). */
  checkReplyRoom(sender: Ksock, flags: number): void {
    if (flags & FLAG.WANT_A_REPLY && this.policy.isFull(sender)) {
      throw new KbusError('ENOLCK', 'SEND', "no room in the sender's queue for the reply");
    }
  }

  /**
   * Delivers a message that has its id, or refuses it having delivered nothing. The checks run
   * in the module's order: replier exists, reply addressee (exists, waiting, room), stateful
   * `to`, replier room, listeners' room. Copies then go to the requester (a reply), the
   * replier (a request) and the listeners, newest binding first.
   */
  route(sender: Ksock, message: RoutedMessage): void {
    const policy = this.policy;
    const isRequest = (message.flags & FLAG.WANT_A_REPLY) !== 0;
    const mode = policy.sendMode(message.flags);
    const noRoom: ErrnoName = mode === 'all-or-wait' ? 'EAGAIN' : 'EBUSY';

    let replier: Binding<Ksock> | undefined;
    if (isRequest) {
      replier = this.replierFor(message.name);
      if (!replier && policy.requestNeedsReplier()) throw new KbusError('EADDRNOTAVAIL', 'SEND', `no replier for ${message.name}`);
    }
    let requester: Ksock | undefined;
    if (isReply(message)) {
      requester = this.ksocks.get(message.to);
      if (!requester) throw new KbusError('EADDRNOTAVAIL', 'SEND', `no Ksock ${message.to} to reply to`);
      if (!requester.isAwaiting(message.inReplyTo)) throw new KbusError('ECONNREFUSED', 'SEND', `Ksock ${message.to} is not waiting for that reply`);
      if (policy.isFull(requester, 1)) throw new KbusError(noRoom, 'SEND', `requester ${message.to} has no room`);
    }
    if (replier && message.to !== 0 && message.to !== replier.owner.id) {
      throw new KbusError('EPIPE', 'SEND', `Ksock ${message.to} is not the replier for ${message.name}`);
    }
    if (replier && policy.isFull(replier.owner)) {
      if (policy.fullReplierFails(mode)) throw new KbusError(noRoom, 'SEND', `replier ${replier.owner.id} has no room`);
      replier = undefined;
    }
    // Room is judged once, before anything is queued: a lossy send skips full listeners. The
    // list found is this send's own, so the ones with room are kept in place.
    const listeners = policy.listenerBindings(this.listenersFor(message.name));
    let withRoom = 0;
    for (const binding of listeners) {
      if (!policy.isFull(binding.owner)) listeners[withRoom++] = binding;
      else if (mode !== 'lossy') throw new KbusError(noRoom, 'SEND', `listener ${binding.owner.id} has no room`);
    }
    if (withRoom < listeners.length) listeners.length = withRoom;

    const stored = new StoredMessage(message);
    if (requester) {
      this.push(requester, stored.withFlags(policy.copyFlags(message.flags, 'requester')), null, true);
      sender.answered(message.inReplyTo);
    }
    const listenerCopy = stored.withFlags(policy.copyFlags(message.flags, 'listener'));
    // A variant may queue the replier's copy where its binding falls among the listeners' (newest first).
    const before = replier && !policy.replierCopyFirst() ? listeners.filter((b) => b.seq > replier!.seq) : [];
    for (const binding of before) this.push(binding.owner, listenerCopy, binding);
    if (replier) {
      const replierCopy = stored.withFlags(policy.copyFlags(message.flags, 'replier'));
      for (const binding of policy.replierCopies(replier, this.replierBindingsFor(message.name))) {
        this.push(binding.owner, replierCopy, binding, true);
        sender.reserveReplyTo(message.id);
      }
    }
    for (const binding of listeners) if (!before.includes(binding)) this.push(binding.owner, listenerCopy, binding);
  }

  /** The one replier binding a request for this name goes to. */
  private replierFor(name: string): Binding<Ksock> | undefined {
    return this.policy.chooseReplier(this.replierBindingsFor(name));
  }

  private replierBindingsFor(name: string): readonly Binding<Ksock>[] {
    return this.bindings.matching(name, 'repliers', this.percentRule);
  }

  /** Newest binding first, as the module walks its list; a copy, since a send shortens it in place. */
  private listenersFor(name: string): Binding<Ksock>[] {
    return this.bindings.matching(name, 'listeners', this.percentRule).slice();
  }

  /**
   * The one way into a queue. Under MSGONLYONCE a Ksock skips a copy of the message it was
   * just given, unless this copy is its own reply or its request as replier. A reply (real or
   * synthetic) uses up the recipient's reservation for that request, if it holds one.
   */
  private push(k: Ksock, message: StoredMessage, binding: Binding<Ksock> | null, asReplierOrRequester = false): void {
    const m = message.message;
    if (!asReplierOrRequester && k.onlyOnce && this.policy.honoursOnlyOnce() && sameId(k.lastPushedId, m.id)) return;
    const copy = new QueuedCopy(message, binding);
    if (this.policy.queuesAtFront(m.flags)) k.queue.pushFront(copy);
    else k.queue.pushBack(copy);
    k.lastPushedId = m.id;
    if (isReply(m)) k.replyArrived(m.inReplyTo);
  }

  /** A message KBUS itself sends: id {0, fresh serial}. */
  private kbusMessage(fields: Omit<Message, 'id'>): Message {
    return { ...fields, id: { networkId: 0, serialNum: this.freshSerial() } };
  }

  private announcement(name: string, flags: number, data: Buffer): Message {
    return this.kbusMessage({ name, inReplyTo: NO_ID, to: 0, from: 0, origFrom: NO_ADDRESS, finalTo: NO_ADDRESS, extra: 0, flags, data });
  }

  /**
   * Answers a request that will get no reply from its replier. It goes to the requester only,
   * past its queue limit (it uses the reserved slot); a requester that has gone gets nothing.
   */
  synthesise(kind: SyntheticKind, request: Readonly<Message>, replierId: number): void {
    const fields = this.policy.syntheticReply(kind, request, replierId);
    if (!fields) return;
    const requester = this.ksocks.get(fields.to);
    if (!requester) return;
    const reply = new StoredMessage(this.kbusMessage(fields));
    // A Ksock answering its own request as it closes is still on the bus, as in the module:
    // the answer uses up a serial number, then goes nowhere.
    if (requester.closed) return;
    this.push(requester, reply, null);
    if (this.policy.syntheticReachesListeners()) for (const binding of this.listenersFor(fields.name)) this.push(binding.owner, reply, binding);
  }

  /** A send retried by poll() failed for good: a request (or, as in the module, any message whose addressee vanished) is answered by KBUS. */
  sendFailedInBackground(message: Message, error: KbusError): void {
    if (error.errno === 'EADDRNOTAVAIL') this.synthesise('Disappeared', message, 0);
    else if (message.flags & FLAG.WANT_A_REPLY) this.synthesise('ErrorSending', message, 0);
  }

  // ---- binding ---------------------------------------------------------------------------

  bind(k: Ksock, name: string, replier: boolean): void {
    if (!this.policy.acceptsName(name, true)) throw new KbusError('EBADMSG', 'BIND', 'bad name');
    if (replier) {
      if (name === KBUS_NAME.REPLIER_BIND_EVENT) throw new KbusError('EBADMSG', 'BIND', `${name} cannot have a replier`);
      const holder = this.bindings.replierNamed(name);
      if (holder) throw new KbusError('EADDRINUSE', 'BIND', `Ksock ${holder.owner.id} is already replier for ${name}`);
      if (this.reportReplierBinds) this.reportReplierChange('BIND', true, k, name);
    }
    k.bindings.push(this.bindings.add(k, name, replier));
  }

  unbind(k: Ksock, name: string, replier: boolean): void {
    if (!this.policy.acceptsName(name, true)) throw new KbusError('EBADMSG', 'UNBIND', 'bad name');
    let i = k.bindings.length - 1;
    while (i >= 0 && !(k.bindings[i].name === name && k.bindings[i].replier === replier)) i--;
    if (i < 0) throw new KbusError('EINVAL', 'UNBIND', `no ${replier ? 'replier' : 'listener'} binding for ${name}`);
    const binding = k.bindings[i];
    if (replier && this.reportReplierBinds) this.reportReplierChange('UNBIND', false, k, name);
    k.bindings.splice(i, 1);
    this.bindings.remove(binding);
    const removed = this.policy.copiesOwedTo(k.queue, binding);
    for (const copy of removed) {
      k.queue.remove(copy);
      if (copy.message.flags & FLAG.WANT_YOU_TO_REPLY) this.synthesise('Unbound', copy.message.message, k.id);
    }
    if (name === KBUS_NAME.REPLIER_BIND_EVENT) this.setAside.dropFor(k);
    if (removed.length > 0) this.refill(k);
  }

  /** Announces a replier BIND/UNBIND to event listeners, all of them or none (EAGAIN). */
  private reportReplierChange(operation: string, isBind: boolean, k: Ksock, name: string): void {
    try {
      this.route(k, this.bindEvent(isBind, k.id, name));
    } catch (e) {
      if (isKbusError(e) && e.errno === 'EBUSY') throw new KbusError('EAGAIN', operation, 'an event listener has no room');
      throw e;
    }
  }

  /** Sent ALL_OR_FAIL, which is why readers see that flag on it. */
  private bindEvent(isBind: boolean, binder: number, name: string): Message {
    return this.announcement(KBUS_NAME.REPLIER_BIND_EVENT, FLAG.SYNTHETIC | FLAG.ALL_OR_FAIL, encodeReplierBindEvent({ isBind, binder, name }));
  }

  /** REPORTREPLIERBINDS(1): an event for every replier binding, newest first, to the caller only. */
  reportExistingRepliers(caller: Ksock): void {
    for (const binding of this.bindings.newestFirst()) {
      if (!binding.replier) continue;
      const event = this.bindEvent(true, binding.owner.id, binding.name);
      if (this.policy.isFull(caller)) throw new KbusError('EBUSY', 'REPORTREPLIERBINDS', "caller's queue is full");
      this.push(caller, new StoredMessage(event), null);
    }
  }

  /** After a pop (or an unbind that made room), one set-aside event joins the queue. */
  refill(k: Ksock): void {
    const event = this.setAside.take(k);
    if (event) this.push(k, event.message, event.binding.active ? event.binding : null);
  }

  // ---- close -----------------------------------------------------------------------------

  /**
   * The device side of close, in the module's order: queued requests get GoneAway (queue
   * order); each replier binding is reported as unbound (newest first); popped requests not
   * yet answered get Ignored (newest first). The Ksock leaves the bus last, so its answers to
   * its own requests use up serial numbers (ID-03).
   */
  release(k: Ksock): void {
    const repliers = k.bindings.filter((b) => b.replier).reverse();
    for (const binding of k.bindings) this.bindings.remove(binding);
    k.bindings.length = 0;
    for (const copy of k.queue.drain()) {
      if (copy.message.flags & FLAG.WANT_YOU_TO_REPLY) this.synthesise('GoneAway', copy.message.message, k.id);
    }
    if (this.reportReplierBinds) for (const binding of repliers) this.reportUnbindingOnClose(k, binding.name);
    this.setAside.dropFor(k);
    for (const request of k.unreplied.splice(0).reverse()) this.synthesise('Ignored', request, k.id);
    this.ksocks.delete(k.id);
  }

  /**
   * A close cannot fail, so when some event listener has no room the event is set aside for
   * every listener binding, each to receive it as its queue drains.
   */
  private reportUnbindingOnClose(k: Ksock, name: string): void {
    const event = this.bindEvent(false, k.id, name);
    try {
      this.route(k, event);
    } catch (e) {
      if (!isKbusError(e) || e.errno !== 'EBUSY') throw e;
      this.setAside.add(new StoredMessage(event), this.listenersFor(KBUS_NAME.REPLIER_BIND_EVENT), () =>
        new StoredMessage(this.announcement(KBUS_NAME.UNBIND_EVENTS_LOST, FLAG.SYNTHETIC, Buffer.alloc(0))),
      );
    }
  }
}

function isReply(m: Readonly<Message>): boolean {
  return m.inReplyTo.networkId !== 0 || m.inReplyTo.serialNum !== 0;
}
