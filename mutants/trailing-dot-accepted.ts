import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A name that ends in a dot is judged by the name without it (`$.Fred.` passes as `$.Fred`). */
class TrailingDotAccepted extends KbusPolicy {
  override acceptsName(name: string, wildcardAllowed: boolean): boolean {
    return super.acceptsName(name.endsWith('.') ? name.slice(0, -1) : name, wildcardAllowed);
  }
}

export = defineMutant({ breaks: 'a name may not end in a dot', behaviours: ['NAME-04'], policy: TrailingDotAccepted });
