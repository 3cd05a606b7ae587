import { FLAG } from '../wire/constants';
import { KbusPolicy, SendMode } from '../reference/policy';
import { defineMutant } from './define';

/** ALL_OR_WAIT behaves like ALL_OR_FAIL: EBUSY at once, no waiting. */
class AllOrWaitFails extends KbusPolicy {
  override sendMode(flags: number): SendMode {
    return flags & FLAG.ALL_OR_WAIT ? 'all-or-fail' : super.sendMode(flags);
  }
}

export = defineMutant({ breaks: 'ALL_OR_WAIT: a recipient without room makes the send wait (EAGAIN, sending state)', behaviours: ['ALL-04', 'ALL-12'], policy: AllOrWaitFails });
