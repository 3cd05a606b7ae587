import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The serial counter runs down from 0xFFFFFFFF (still skipping 0). */
class SerialsDescending extends KbusPolicy {
  override nextSerial(last: number): number {
    return (last - 1) >>> 0 || 0xffffffff;
  }
}

export = defineMutant({ breaks: 'serial numbers go up by one per message on a device', behaviours: ['ID-02'], policy: SerialsDescending });
