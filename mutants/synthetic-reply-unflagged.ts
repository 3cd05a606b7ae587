import type { Message } from '../wire/message';
import { KbusPolicy, SyntheticKind } from '../reference/policy';
import { defineMutant } from './define';

/** KBUS's status messages look like a user's reply: no SYNTHETIC flag. */
class SyntheticReplyUnflagged extends KbusPolicy {
  override syntheticReply(kind: SyntheticKind, request: Readonly<Message>, replierId: number) {
    const reply = super.syntheticReply(kind, request, replierId);
    return reply && { ...reply, flags: 0 };
  }
}

export = defineMutant({ breaks: 'a synthetic reply carries the SYNTHETIC flag', behaviours: ['SYN-07'], policy: SyntheticReplyUnflagged });
