import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Loading the module makes bus 0 alone, whatever device count it is given. */
class OneDeviceWhateverAsked extends KbusPolicy {
  override devicesAtLoad(): number {
    return 1;
  }
}

export = defineMutant({ breaks: 'loading the module for N devices creates buses 0 to N-1', behaviours: ['DEV-01'], policy: OneDeviceWhateverAsked });
