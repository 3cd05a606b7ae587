import type { MessageId } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A serial number the sender filled in survives when the network id is 0. */
class SenderSerialKept extends KbusPolicy {
  override assignId(written: MessageId, freshSerial: () => number): MessageId {
    return written.serialNum !== 0 ? { ...written } : super.assignId(written, freshSerial);
  }
}

export = defineMutant({ breaks: 'with network id 0, KBUS replaces any serial number the sender wrote', behaviours: ['ID-05'], policy: SenderSerialKept });
