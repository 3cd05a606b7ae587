import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A waiting poll is never woken: it sees the Ksock ready only when its timeout runs out. */
class WaitersNeverWoken extends KbusPolicy {
  override wakesWaiters(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'a waiting poll wakes up as soon as its Ksock becomes ready', behaviours: ['POLL-05'], policy: WaitersNeverWoken });
