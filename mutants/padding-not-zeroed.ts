import type { PointerSize } from '../wire/constants';
import { decodeHeader, paddingRanges } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Readers get 0xAA where the name's and the data's padding should be zero. */
class PaddingNotZeroed extends KbusPolicy {
  override deliveredBytes(entire: Buffer, pointerSize: PointerSize): Buffer {
    const { nameLen, dataLen } = decodeHeader(entire, pointerSize);
    const altered = Buffer.from(entire);
    for (const [from, to] of paddingRanges(nameLen, dataLen, pointerSize)) altered.fill(0xaa, from, to);
    return altered;
  }
}

export = defineMutant({ breaks: 'readers always get zero padding after the name and the data', behaviours: ['LAY-07', 'LAY-11'], policy: PaddingNotZeroed });
