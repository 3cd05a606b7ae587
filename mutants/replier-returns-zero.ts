import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** REPLIER returns 0 whether or not it found a replier (what the header's comment promises). */
class ReplierReturnsZero extends KbusPolicy {
  override replierReturnValue(): number {
    return 0;
  }
}

export = defineMutant({ breaks: 'REPLIER returns 1 when it finds a replier', behaviours: ['IOC-04'], policy: ReplierReturnsZero });
