import { KbusPolicy, SendMode } from '../reference/policy';
import { defineMutant } from './define';

/** A lossy request to a full replier succeeds and the replier silently misses it. */
class FullReplierSkipped extends KbusPolicy {
  override fullReplierFails(mode: SendMode): boolean {
    return mode !== 'lossy';
  }
}

export = defineMutant({ breaks: 'a request to a full replier fails, with or without ALL_OR_FAIL', behaviours: ['Q-06'], policy: FullReplierSkipped });
