import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Limits under 104 bytes are treated as 104. */
class SmallLimitNotEnforced extends KbusPolicy {
  override fitsSizeLimit(length: number, limit: number, absolute: number): boolean {
    return super.fitsSizeLimit(length, Math.max(limit, 104), absolute);
  }
}

export = defineMutant({ breaks: 'a limit of 100 bytes refuses a message of 104', behaviours: ['SZ-06'], policy: SmallLimitNotEnforced });
