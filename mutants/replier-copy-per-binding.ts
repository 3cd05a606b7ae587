import type { Binding } from '../reference/bindings';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The chosen replier gets a copy of the request through each of its replier bindings that match. */
class ReplierCopyPerBinding extends KbusPolicy {
  override replierCopies<B extends Binding>(chosen: B, matching: readonly B[]): B[] {
    return matching.filter((b) => b.owner === chosen.owner);
  }
}

export = defineMutant({ breaks: 'a replier gets one copy of a request however many of its replier bindings match', behaviours: ['REP-05'], policy: ReplierCopyPerBinding });
