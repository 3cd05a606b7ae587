/**
 * A count per message id, keyed by network id then serial number, so that a lookup on every
 * request and reply builds no string key.
 */

import type { MessageId } from '../wire/message';

export class IdCounts {
  private readonly byNetwork = new Map<number, Map<number, number>>();

  has(id: MessageId): boolean {
    return this.byNetwork.get(id.networkId)?.has(id.serialNum) ?? false;
  }

  increment(id: MessageId): void {
    let serials = this.byNetwork.get(id.networkId);
    if (!serials) this.byNetwork.set(id.networkId, (serials = new Map()));
    serials.set(id.serialNum, (serials.get(id.serialNum) ?? 0) + 1);
  }

  /** Takes one off the id's count; false when it had none. */
  decrement(id: MessageId): boolean {
    const serials = this.byNetwork.get(id.networkId);
    const n = serials?.get(id.serialNum);
    if (n === undefined) return false;
    if (n > 1) serials!.set(id.serialNum, n - 1);
    else if (serials!.size > 1) serials!.delete(id.serialNum);
    else this.byNetwork.delete(id.networkId);
    return true;
  }

  /** The sum of all counts. */
  total(): number {
    let n = 0;
    for (const serials of this.byNetwork.values()) for (const count of serials.values()) n += count;
    return n;
  }
}
