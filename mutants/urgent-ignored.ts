import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** URGENT messages queue at the back like any other. */
class UrgentIgnored extends KbusPolicy {
  override queuesAtFront(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'an URGENT message goes to the front of each queue', behaviours: ['URG-01'], policy: UrgentIgnored });
