import type { PointerSize } from '../wire/constants';
import { decodeHeader, headerSize, paddedNameLength } from '../wire/message';
import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** The last data byte of every message reads back inverted. */
class DataByteFlipped extends KbusPolicy {
  override deliveredBytes(entire: Buffer, pointerSize: PointerSize): Buffer {
    const { nameLen, dataLen } = decodeHeader(entire, pointerSize);
    if (dataLen === 0) return entire;
    const altered = Buffer.from(entire);
    altered[headerSize(pointerSize) + paddedNameLength(nameLen) + dataLen - 1] ^= 0xff;
    return altered;
  }
}

export = defineMutant({ breaks: 'message data arrives byte for byte as sent', behaviours: ['LAY-13'], policy: DataByteFlipped });
