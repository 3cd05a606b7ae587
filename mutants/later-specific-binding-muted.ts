import type { Binding } from '../reference/bindings';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/**
 * An exact listener binding delivers nothing when the same Ksock already had a matching
 * wildcard one (taken for a duplicate); only bind orders with the wildcard first show it.
 */
class LaterSpecificBindingMuted extends KbusPolicy {
  override listenerBindings<B extends Binding>(matching: B[]): B[] {
    return matching.filter((b) => !matching.some((o) => o.owner === b.owner && b.kind === 'exact' && o.kind !== 'exact' && o.seq < b.seq));
  }
}

export = defineMutant({ breaks: 'each matching binding of a listener delivers a copy, in any binding order', behaviours: ['WC-06', 'BC-03'], policy: LaterSpecificBindingMuted });
