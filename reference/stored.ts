/**
 * A message as the device keeps it once sent: the fields every reader sees, and its entire
 * form encoded once and shared by all the copies that carry the same flags.
 */

import type { PointerSize } from '../wire/constants';
import { Message, encodeEntire, entireWithFlags } from '../wire/message';

/**
 * A message on its way through the device. One a user wrote in entire form keeps the bytes
 * written, completed at SEND into its readers' bytes, so that it is never encoded again.
 */
export type RoutedMessage = Message & {
  /** The readers' bytes, but for the flags of a copy that carries others. */
  entire?: Buffer;
};

export class StoredMessage {
  private encoded: Buffer | null = null;

  constructor(readonly message: Readonly<RoutedMessage>) {}

  get flags(): number {
    return this.message.flags;
  }

  /** The message with different flags (another copy of the same send). */
  withFlags(flags: number): StoredMessage {
    return flags === this.message.flags ? this : new StoredMessage({ ...this.message, flags });
  }

  /** The bytes a reader gets: always the entire form, pointers NULL, padding zero. */
  bytes(pointerSize: PointerSize): Buffer {
    const m = this.message;
    this.encoded ??= m.entire ? entireWithFlags(m.entire, m.flags) : encodeEntire(m, pointerSize);
    return this.encoded;
  }
}
