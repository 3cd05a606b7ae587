import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Serial numbers ascend, but by two. */
class SerialsSkipOne extends KbusPolicy {
  override nextSerial(last: number): number {
    return super.nextSerial(super.nextSerial(last));
  }
}

export = defineMutant({ breaks: 'serial numbers go up by exactly one per message on a device', behaviours: ['ID-02', 'ID-03'], policy: SerialsSkipOne });
