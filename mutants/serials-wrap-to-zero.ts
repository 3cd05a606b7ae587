import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The serial counter wraps to 0 rather than skipping it. */
class SerialsWrapToZero extends KbusPolicy {
  override nextSerial(last: number): number {
    return (last + 1) >>> 0;
  }
}

export = defineMutant({ breaks: 'serial numbers skip 0 when the counter wraps', behaviours: ['ID-02'], policy: SerialsWrapToZero });
