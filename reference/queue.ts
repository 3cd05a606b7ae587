/**
 * A Ksock's read queue: a doubly linked list so that pushing at either end, popping the head
 * and removing one copy (when its binding goes) are all O(1). Each binding counts the copies
 * it has queued, so an UNBIND walks the queue only when some are owed to it.
 */

import type { Binding } from './bindings';
import type { StoredMessage } from './stored';

/** One copy of a message in one Ksock's queue, owed to the binding that matched it (if any). */
export class QueuedCopy {
  prev: QueuedCopy | null = null;
  next: QueuedCopy | null = null;
  constructor(
    readonly message: StoredMessage,
    /** The binding the copy came through; null for replies to the requester and KBUS's own messages. */
    readonly binding: Binding | null,
  ) {}
}

export class MessageQueue {
  private head: QueuedCopy | null = null;
  private tail: QueuedCopy | null = null;
  private count = 0;

  get length(): number {
    return this.count;
  }

  pushBack(copy: QueuedCopy): void {
    copy.prev = this.tail;
    copy.next = null;
    if (this.tail) this.tail.next = copy;
    else this.head = copy;
    this.tail = copy;
    this.count++;
    if (copy.binding) copy.binding.queued++;
  }

  pushFront(copy: QueuedCopy): void {
    copy.next = this.head;
    copy.prev = null;
    if (this.head) this.head.prev = copy;
    else this.tail = copy;
    this.head = copy;
    this.count++;
    if (copy.binding) copy.binding.queued++;
  }

  popFront(): QueuedCopy | null {
    const copy = this.head;
    if (copy) this.remove(copy);
    return copy;
  }

  /** Unlinks a copy that is in this queue. */
  remove(copy: QueuedCopy): void {
    if (copy.prev) copy.prev.next = copy.next;
    else this.head = copy.next;
    if (copy.next) copy.next.prev = copy.prev;
    else this.tail = copy.prev;
    copy.prev = copy.next = null;
    this.count--;
    if (copy.binding) copy.binding.queued--;
  }

  /** The copies queued through one binding, in queue order. */
  owedTo(binding: Binding): QueuedCopy[] {
    const owed: QueuedCopy[] = [];
    if (binding.queued === 0) return owed;
    for (let c = this.head; c; c = c.next) if (c.binding === binding) owed.push(c);
    return owed;
  }

  /** Empties the queue, returning its copies in queue order. */
  drain(): QueuedCopy[] {
    const all = [...this];
    for (const copy of all) this.remove(copy);
    return all;
  }

  *[Symbol.iterator](): IterableIterator<QueuedCopy> {
    for (let c = this.head; c; c = c.next) yield c;
  }
}
