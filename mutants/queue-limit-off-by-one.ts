import { KbusPolicy, QueueState } from '../reference/policy';
import { defineMutant } from './define';

/** A queue takes one message more than its limit. */
class QueueLimitOffByOne extends KbusPolicy {
  override isFull(k: QueueState, spareSlots = 0): boolean {
    return k.queued + k.reserved - spareSlots > k.limit;
  }
}

export = defineMutant({ breaks: 'a queue holds at most MAXMSGS messages', behaviours: ['Q-01', 'Q-05'], policy: QueueLimitOffByOne });
