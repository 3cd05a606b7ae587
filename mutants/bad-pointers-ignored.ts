import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** An ioctl argument outside the caller's memory reads as zeros, and results written there vanish. */
class BadPointersIgnored extends KbusPolicy {
  override userMemoryFaults(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'an ioctl given an argument pointer the caller does not hold fails with EFAULT', behaviours: ['BIND-04', 'IOC-10'], policy: BadPointersIgnored });
