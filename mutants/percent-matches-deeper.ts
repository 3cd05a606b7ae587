import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** `P.%` behaves like `P.*`. */
class PercentMatchesDeeper extends KbusPolicy {
  override percentMatches(extraWords: number): boolean {
    return extraWords >= 1;
  }
}

export = defineMutant({ breaks: '`P.%` matches exactly one more word', behaviours: ['WC-03'], policy: PercentMatchesDeeper });
