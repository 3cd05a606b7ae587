import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Status messages are broadcast like ordinary replies. */
class SyntheticReplyToListeners extends KbusPolicy {
  override syntheticReachesListeners(): boolean {
    return true;
  }
}

export = defineMutant({ breaks: 'synthetic replies go to the requester only, never to listeners', behaviours: ['SYN-10', 'WC-07'], policy: SyntheticReplyToListeners });
