import { FLAG } from '../wire/constants';
import { KbusPolicy, SendMode } from '../reference/policy';
import { defineMutant } from './define';

/** Replier bind events (KBUS's only SYNTHETIC sends that are routed) are lossy, so a BIND never fails for an event listener's sake. */
class BindEventsNotAllOrNothing extends KbusPolicy {
  override sendMode(flags: number): SendMode {
    return flags & FLAG.SYNTHETIC ? 'lossy' : super.sendMode(flags);
  }
}

export = defineMutant({ breaks: 'replier bind events reach every event listener or the BIND/UNBIND fails', behaviours: ['RBE-08'], policy: BindEventsNotAllOrNothing });
