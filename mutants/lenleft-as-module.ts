import type { PointerSize } from '../wire/constants';
import { decodeHeader, headerSize, paddedNameLength } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The original module's LENLEFT inside the data part: total − 4 × data bytes read. */
class LenLeftAsModule extends KbusPolicy {
  override bytesLeft(message: Buffer, position: number, pointerSize: PointerSize): number {
    const { nameLen, dataLen } = decodeHeader(message, pointerSize);
    const dataStart = headerSize(pointerSize) + paddedNameLength(nameLen);
    if (position < dataStart || position >= dataStart + dataLen) return super.bytesLeft(message, position, pointerSize);
    return Math.max(0, message.length - 4 * (position - dataStart));
  }
}

export = defineMutant({ breaks: 'LENLEFT is the count of unread bytes, also inside the data part', behaviours: ['IOC-13'], policy: LenLeftAsModule });
