/**
 * A message as the device keeps it once sent: the fields every reader sees, and its entire
 * form encoded once and shared by all the copies that carry the same flags.
 */

import type { PointerSize } from '../wire/constants';
import { Message, MessageHeader, MessageId, NetworkAddress, SendFields, encodeEntire, entireData, entireWithFlags } from '../wire/message';

/**
 * A message on its way through the device. One a user wrote in entire form keeps the bytes
 * written, completed at SEND into its readers' bytes, so that it is never encoded again.
 */
export interface RoutedMessage extends Message {
  /** The readers' bytes, but for the flags of a copy that carries others. */
  readonly entire?: Buffer;
}

/**
 * A message a user wrote in entire form. KBUS never needs its data apart from its bytes, so
 * the view of the data is made only for whoever asks (a policy may).
 */
export class EntireMessage implements RoutedMessage {
  readonly inReplyTo: MessageId;
  readonly to: number;
  readonly origFrom: NetworkAddress;
  readonly finalTo: NetworkAddress;
  readonly from: number;
  readonly extra: number;
  readonly flags: number;

  /** `written` gives the fields KBUS leaves as written; `kbusSets` the ones it set at SEND. */
  constructor(
    readonly id: MessageId,
    written: Readonly<MessageHeader>,
    kbusSets: Omit<SendFields, 'id'>,
    readonly name: string,
    readonly entire: Buffer,
    private readonly pointerSize: PointerSize,
  ) {
    this.inReplyTo = written.inReplyTo;
    this.to = written.to;
    this.origFrom = written.origFrom;
    this.finalTo = written.finalTo;
    this.from = kbusSets.from;
    this.extra = kbusSets.extra;
    this.flags = kbusSets.flags;
  }

  get data(): Buffer {
    return entireData(this.entire, this.pointerSize);
  }
}

export class StoredMessage {
  private encoded: Buffer | null = null;

  constructor(readonly message: Readonly<RoutedMessage>) {}

  get flags(): number {
    return this.message.flags;
  }

  /** The message with different flags (another copy of the same send). */
  withFlags(flags: number): StoredMessage {
    if (flags === this.message.flags) return this;
    // Field by field, not spread: an EntireMessage's data is not an own property.
    const m = this.message;
    return new StoredMessage({
      id: m.id,
      inReplyTo: m.inReplyTo,
      to: m.to,
      from: m.from,
      origFrom: m.origFrom,
      finalTo: m.finalTo,
      extra: m.extra,
      flags,
      name: m.name,
      data: m.data,
      entire: m.entire,
    });
  }

  /** The bytes a reader gets: always the entire form, pointers NULL, padding zero. */
  bytes(pointerSize: PointerSize): Buffer {
    const m = this.message;
    this.encoded ??= m.entire ? entireWithFlags(m.entire, m.flags) : encodeEntire(m, pointerSize);
    return this.encoded;
  }
}
