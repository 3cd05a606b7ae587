import { KbusPolicy, QueueState } from '../reference/policy';
import { defineMutant } from './define';

/** Only queued messages count: slots held for replies are forgotten, so no ENOLCK. */
class ReplyReservationIgnored extends KbusPolicy {
  override isFull(k: QueueState): boolean {
    return k.queued >= k.limit;
  }
}

export = defineMutant({ breaks: 'a slot is held for the reply to every outstanding request (ENOLCK when none is free)', behaviours: ['Q-07', 'Q-08'], policy: ReplyReservationIgnored });
