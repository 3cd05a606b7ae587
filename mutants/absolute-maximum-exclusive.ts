import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A message must stay one byte short of the absolute maximum, whatever the limit. */
class AbsoluteMaximumExclusive extends KbusPolicy {
  override fitsSizeLimit(length: number, limit: number, absolute: number): boolean {
    return length < absolute && super.fitsSizeLimit(length, limit, absolute);
  }
}

export = defineMutant({ breaks: 'a message exactly as long as the absolute maximum may be written', behaviours: ['SZ-06'], policy: AbsoluteMaximumExclusive });
