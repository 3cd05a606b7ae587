import type { MessageHeader } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A user can send a message that looks like KBUS's own. */
class SyntheticFlagKept extends KbusPolicy {
  override acceptedFields(sent: Pick<MessageHeader, 'from' | 'extra' | 'flags'>, senderId: number) {
    return { ...super.acceptedFields(sent, senderId), flags: sent.flags };
  }
}

export = defineMutant({ breaks: 'KBUS clears the SYNTHETIC flag on every message a user sends', behaviours: ['ID-08'], policy: SyntheticFlagKept });
