import type { MessageHeader } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The top 16 flag bits, which belong to users, are dropped on send. */
class UserFlagBitsCleared extends KbusPolicy {
  override acceptedFields(sent: Pick<MessageHeader, 'from' | 'extra' | 'flags'>, senderId: number) {
    const fields = super.acceptedFields(sent, senderId);
    return { ...fields, flags: fields.flags & 0xffff };
  }
}

export = defineMutant({ breaks: "KBUS leaves the users' flag bits (the top 16) as sent", behaviours: ['ID-09'], policy: UserFlagBitsCleared });
