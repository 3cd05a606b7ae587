/**
 * The device-wide list of replier-unbind events that could not be delivered when a Ksock
 * closed (a close never fails, and the event goes to all its listeners or none): each listener
 * gets its events later, one per NEXTMSG. When one unbinding would overflow the list it "goes
 * tragic": each listener concerned gets a single `$.KBUS.UnbindEventsLost` instead, and
 * further events that cannot be delivered are lost until the list has emptied.
 */

import { LIMITS } from '../wire/constants';
import type { Binding, BindingOwner } from './bindings';
import type { StoredMessage } from './stored';

export interface SetAsideEvent<Owner extends BindingOwner> {
  message: StoredMessage;
  /** The listener binding it is for; the copy is owed to it once queued. */
  binding: Binding<Owner>;
}

export class SetAsideList<Owner extends BindingOwner> {
  private readonly byListener = new Map<Owner, SetAsideEvent<Owner>[]>();
  private total = 0;
  private tragic = false;
  private readonly toldOfLoss = new Set<Owner>();

  constructor(private readonly capacity: number = LIMITS.SET_ASIDE_EVENTS) {}

  get size(): number {
    return this.total;
  }

  countFor(listener: Owner): number {
    return this.byListener.get(listener)?.length ?? 0;
  }

  /**
   * Parks one unbind event for every listener binding given. If that would overflow the list
   * (or it already has), `lostNotice` makes one UnbindEventsLost message instead, for each
   * listener not yet told of the loss.
   */
  add(message: StoredMessage, listeners: readonly Binding<Owner>[], lostNotice: () => StoredMessage): void {
    if (listeners.length === 0) return;
    if (this.total + listeners.length > this.capacity) this.tragic = true;
    if (!this.tragic) {
      for (const binding of listeners) this.append(binding.owner, { message, binding });
      return;
    }
    const notice = lostNotice();
    for (const binding of listeners) {
      if (this.toldOfLoss.has(binding.owner)) continue;
      this.toldOfLoss.add(binding.owner);
      this.append(binding.owner, { message: notice, binding });
    }
  }

  /** The listener's oldest set-aside event, removed from the list. */
  take(listener: Owner): SetAsideEvent<Owner> | undefined {
    // Asked at every NEXTMSG, and the list is nearly always empty.
    if (this.total === 0) return undefined;
    const events = this.byListener.get(listener);
    const event = events?.shift();
    if (!event) return undefined;
    if (events!.length === 0) this.byListener.delete(listener);
    this.removed(1);
    return event;
  }

  /** Forgets every event parked for a listener (it closed, or stopped listening for events). */
  dropFor(listener: Owner): void {
    const events = this.byListener.get(listener);
    if (!events) return;
    this.byListener.delete(listener);
    this.toldOfLoss.delete(listener);
    this.removed(events.length);
  }

  private append(listener: Owner, event: SetAsideEvent<Owner>): void {
    const events = this.byListener.get(listener);
    if (events) events.push(event);
    else this.byListener.set(listener, [event]);
    this.total++;
  }

  private removed(n: number): void {
    this.total -= n;
    if (this.total === 0) {
      this.tragic = false;
      this.toldOfLoss.clear();
    }
  }
}
