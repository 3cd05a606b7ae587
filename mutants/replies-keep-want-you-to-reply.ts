import { FLAG } from '../wire/constants';
import { KbusPolicy, CopyRole } from '../reference/policy';
import { defineMutant } from './define';

/** A WANT_YOU_TO_REPLY bit the sender set survives into every copy. */
class RepliesKeepWantYouToReply extends KbusPolicy {
  override copyFlags(sentFlags: number, role: CopyRole): number {
    return (super.copyFlags(sentFlags, role) | (sentFlags & FLAG.WANT_YOU_TO_REPLY)) >>> 0;
  }
}

export = defineMutant({ breaks: 'only KBUS sets WANT_YOU_TO_REPLY: delivered replies never carry it', behaviours: ['REQ-09'], policy: RepliesKeepWantYouToReply });
