import { LIMITS } from '../wire/constants';
import { nameBytes } from '../wire/names';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A message name must be shorter than the longest a binding may have. */
class LongMessageNameRefused extends KbusPolicy {
  override acceptsName(name: string, wildcardAllowed: boolean): boolean {
    if (!wildcardAllowed && nameBytes(name).length >= LIMITS.MAX_NAME_LEN) return false;
    return super.acceptsName(name, wildcardAllowed);
  }
}

export = defineMutant({ breaks: 'a message may have a name of exactly 1000 bytes', behaviours: ['NAME-10'], policy: LongMessageNameRefused });
