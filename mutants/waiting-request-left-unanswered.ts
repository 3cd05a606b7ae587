import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** An ALL_OR_WAIT request whose retry by poll fails for good is dropped without an answer. */
class WaitingRequestLeftUnanswered extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    return kind === 'Disappeared' || kind === 'ErrorSending' ? null : super.syntheticReply(kind, request, replierId);
  }
}

export = defineMutant({ breaks: 'a waiting request whose retry fails for good is answered by KBUS', behaviours: ['SYN-05', 'SYN-06'], policy: WaitingRequestLeftUnanswered });
