import { KbusPolicy, CopyRole } from '../reference/policy';
import { defineMutant } from './define';

/** Listeners' copies of a request carry WANT_YOU_TO_REPLY as the replier's does. */
class ListenersAskedToReply extends KbusPolicy {
  override copyFlags(sentFlags: number, role: CopyRole): number {
    return super.copyFlags(sentFlags, role === 'listener' ? 'replier' : role);
  }
}

export = defineMutant({ breaks: "only the replier's copy of a request carries WANT_YOU_TO_REPLY", behaviours: ['BC-05', 'REP-04'], policy: ListenersAskedToReply });
