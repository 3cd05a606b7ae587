import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** Status messages about a replier do not say which replier. */
class SyntheticReplyFromNobody extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    const reply = super.syntheticReply(kind, request, replierId);
    return reply && { ...reply, from: 0 };
  }
}

export = defineMutant({ breaks: "GoneAway, Ignored and Unbound replies come from the replier's Ksock id", behaviours: ['SYN-07'], policy: SyntheticReplyFromNobody });
