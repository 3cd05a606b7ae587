import { KbusPolicy } from '../reference/policy';
import { defineMutant } from './define';

/** A message written in pieces whose data needs no padding goes out as its last byte arrives. */
class AlignedMessageSentWhenWritten extends KbusPolicy {
  override sendsOnceWritten(dataLen: number, lastPiece: number): boolean {
    return lastPiece === 1 && dataLen % 4 === 0;
  }
}

export = defineMutant({ breaks: 'a message written in pieces stays invisible until SEND, whatever its data length', behaviours: ['LAY-08'], policy: AlignedMessageSentWhenWritten });
