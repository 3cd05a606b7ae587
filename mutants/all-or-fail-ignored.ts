import { FLAG } from '../wire/constants';
import { KbusPolicy, SendMode } from '../reference/policy';
import { defineMutant } from './define';

/** ALL_OR_FAIL sends are lossy: full listeners just miss them. */
class AllOrFailIgnored extends KbusPolicy {
  override sendMode(flags: number): SendMode {
    return super.sendMode(flags & ~FLAG.ALL_OR_FAIL);
  }
}

export = defineMutant({ breaks: 'ALL_OR_FAIL: when any recipient lacks room, nobody gets the message', behaviours: ['ALL-03'], policy: AllOrFailIgnored });
