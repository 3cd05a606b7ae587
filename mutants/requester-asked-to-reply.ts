import { KbusPolicy, CopyRole } from '../reference/policy';
import { defineMutant } from './define';

/** A reply that is also a request asks its requester to answer as well as its replier. */
class RequesterAskedToReply extends KbusPolicy {
  override copyFlags(sentFlags: number, role: CopyRole): number {
    return super.copyFlags(sentFlags, role === 'requester' ? 'replier' : role);
  }
}

export = defineMutant({
  breaks: "the requester's copy of a reply never carries WANT_YOU_TO_REPLY, even when the reply is also a request",
  behaviours: ['REQ-09'],
  policy: RequesterAskedToReply,
});
