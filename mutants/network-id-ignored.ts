import type { MessageId } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Every message gets a fresh local id, even one that arrived with another network's. */
class NetworkIdIgnored extends KbusPolicy {
  override assignId(_written: MessageId, freshSerial: () => number): MessageId {
    return { networkId: 0, serialNum: freshSerial() };
  }
}

export = defineMutant({ breaks: 'a message sent with a non-zero network id keeps its whole id', behaviours: ['ID-04'], policy: NetworkIdIgnored });
