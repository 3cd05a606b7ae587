import { KbusPolicy, QueueState } from '../reference/policy';
import { defineMutant } from './define';

/** A reply does not get to use the slot its requester holds for it, so a requester that looks full refuses its own reply. */
class ReplySlotNotSpare extends KbusPolicy {
  override isFull(k: QueueState): boolean {
    return super.isFull(k, 0);
  }
}

export = defineMutant({ breaks: "a reply fits into the requester's queue through the slot held for it", behaviours: ['Q-11'], policy: ReplySlotNotSpare });
