import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** A replier that closes with requests still queued leaves their requesters waiting for ever. */
class NoSyntheticReplyOnClose extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    return kind === 'GoneAway' ? null : super.syntheticReply(kind, request, replierId);
  }
}

export = defineMutant({ breaks: 'a request queued at a replier that closes is answered by KBUS (GoneAway)', behaviours: ['SYN-02'], policy: NoSyntheticReplyOnClose });
