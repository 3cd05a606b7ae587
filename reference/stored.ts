/**
 * A message as the device keeps it once sent: the fields every reader sees, and its entire
 * form encoded once and shared by all the copies that carry the same flags.
 */

import type { PointerSize } from '../wire/constants';
import { Message, encodeEntire } from '../wire/message';

export class StoredMessage {
  private encoded: Buffer | null = null;

  constructor(readonly message: Readonly<Message>) {}

  get flags(): number {
    return this.message.flags;
  }

  /** The message with different flags (another copy of the same send). */
  withFlags(flags: number): StoredMessage {
    return flags === this.message.flags ? this : new StoredMessage({ ...this.message, flags });
  }

  /** The bytes a reader gets: always the entire form, pointers NULL, padding zero. */
  bytes(pointerSize: PointerSize): Buffer {
    this.encoded ??= encodeEntire(this.message, pointerSize);
    return this.encoded;
  }
}
