import type { Binding } from '../reference/bindings';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The ranking upside down: `*` beats `%` beats the exact name. */
class WildcardReplierFirst extends KbusPolicy {
  override replierRank(binding: Binding): number {
    return -super.replierRank(binding);
  }
}

export = defineMutant({ breaks: 'the most specific replier gets a request', behaviours: ['REP-05'], policy: WildcardReplierFirst });
