import type { MessageHeader } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** `from` is whatever the sender wrote. */
class FromKept extends KbusPolicy {
  override acceptedFields(sent: Pick<MessageHeader, 'from' | 'extra' | 'flags'>, senderId: number) {
    return { ...super.acceptedFields(sent, senderId), from: sent.from };
  }
}

export = defineMutant({ breaks: "KBUS sets `from` to the sending Ksock's id", behaviours: ['ID-06'], policy: FromKept });
