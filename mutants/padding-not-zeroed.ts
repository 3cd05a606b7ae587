import type { PointerSize } from '../wire/constants';
import { decodeHeader, headerSize, paddedDataLength, paddedNameLength } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** Readers get 0xAA where the name's and the data's padding should be zero. */
class PaddingNotZeroed extends KbusPolicy {
  override deliveredBytes(entire: Buffer, pointerSize: PointerSize): Buffer {
    const { nameLen, dataLen } = decodeHeader(entire, pointerSize);
    const nameStart = headerSize(pointerSize);
    const dataStart = nameStart + paddedNameLength(nameLen);
    const altered = Buffer.from(entire);
    // The name's NUL stays: only the bytes after it are padding.
    altered.fill(0xaa, nameStart + nameLen + 1, dataStart);
    altered.fill(0xaa, dataStart + dataLen, dataStart + paddedDataLength(dataLen));
    return altered;
  }
}

export = defineMutant({ breaks: 'readers always get zero padding after the name and the data', behaviours: ['LAY-07', 'LAY-11'], policy: PaddingNotZeroed });
