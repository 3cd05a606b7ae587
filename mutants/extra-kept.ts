import type { MessageHeader } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** `extra` is whatever the sender wrote. */
class ExtraKept extends KbusPolicy {
  override acceptedFields(sent: Pick<MessageHeader, 'from' | 'extra' | 'flags'>, senderId: number) {
    return { ...super.acceptedFields(sent, senderId), extra: sent.extra };
  }
}

export = defineMutant({ breaks: 'KBUS zeroes `extra` on every send', behaviours: ['ID-07'], policy: ExtraKept });
