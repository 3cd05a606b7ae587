import type { PointerSize } from '../wire/constants';
import { decodeHeader, headerSize, paddedNameLength } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Inside the name, LENLEFT forgets the name's padding. */
class LenLeftInsideNameUnpadded extends KbusPolicy {
  override bytesLeft(message: Buffer, position: number, pointerSize: PointerSize): number {
    const { nameLen } = decodeHeader(message, pointerSize);
    const nameStart = headerSize(pointerSize);
    const left = super.bytesLeft(message, position, pointerSize);
    if (position <= nameStart || position >= nameStart + nameLen) return left;
    return left - (paddedNameLength(nameLen) - nameLen);
  }
}

export = defineMutant({ breaks: 'LENLEFT is the count of unread bytes, also inside the name', behaviours: ['IOC-12'], policy: LenLeftInsideNameUnpadded });
