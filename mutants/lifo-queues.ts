import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Every copy jumps the queue, so a reader gets messages newest first. */
class LifoQueues extends KbusPolicy {
  override queuesAtFront(): boolean {
    return true;
  }
}

export = defineMutant({ breaks: 'each queue delivers messages in the order they were sent', behaviours: ['BC-04'], policy: LifoQueues });
