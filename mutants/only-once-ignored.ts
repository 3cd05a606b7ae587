import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** MSGONLYONCE can be switched on but changes nothing. */
class OnlyOnceIgnored extends KbusPolicy {
  override honoursOnlyOnce(): boolean {
    return false;
  }
}

export = defineMutant({ breaks: 'with MSGONLYONCE a Ksock gets one copy of a message however many bindings match', behaviours: ['ONCE-04'], policy: OnlyOnceIgnored });
