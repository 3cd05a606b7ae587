import { KbusPolicy, SendMode } from '../reference/policy';
import { defineMutant } from './define';

/** Every send is all-or-fail: one full listener stops a plain announcement. */
class LossySendFails extends KbusPolicy {
  override sendMode(flags: number): SendMode {
    const mode = super.sendMode(flags);
    return mode === 'lossy' ? 'all-or-fail' : mode;
  }
}

export = defineMutant({ breaks: 'by default a full listener just misses the message and the send succeeds', behaviours: ['Q-05'], policy: LossySendFails });
