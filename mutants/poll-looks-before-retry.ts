import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** poll() judges readability before it retries a waiting send, as the module's kbus_poll does. */
class PollLooksBeforeRetry extends KbusPolicy {
  override pollLooksAfterRetry(): boolean {
    return false;
  }
}

export = defineMutant({
  breaks: 'a Ksock is readable exactly when its queue holds a message, counting one its own poll has just queued',
  behaviours: ['POLL-01'],
  policy: PollLooksBeforeRetry,
});
