/**
 * The message a Ksock is writing, assembled from write() calls of any size. The device judges
 * the bytes as they arrive, in its own order: the header checks once the header is complete,
 * then (entire form) the name once all its bytes are in, the final end guard once its 4 bytes
 * are in, and any byte beyond the end. Any failure throws the message away.
 */

import { END_GUARD, PointerSize } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { MessageHeader, decodeHeader, entireLength, headerError, headerSize, isEntireForm, paddedNameLength } from '../wire/message';
import { nameFromBytes } from '../wire/names';

/** A completely written message: an entire one carries its name and data, a pointy one only pointers. */
export interface WrittenMessage {
  header: MessageHeader;
  /** Present for the entire form; a pointy message's name and data are fetched at SEND. */
  body?: { name: string; data: Buffer };
}

export class MessageWriter {
  /** Reused for every header; only bytes already written are ever read. */
  private readonly headerBytes: Buffer;
  private bytes: Buffer;
  private have = 0;
  private header: MessageHeader | null = null;
  /** An entire message's name, kept once judged. */
  private name = '';
  /** Length of the whole message once the header is known: the header alone when pointy. */
  private total = 0;

  constructor(
    private readonly pointerSize: PointerSize,
    private readonly maxMessageSize: () => number,
    /** The device's judgement of a message name. */
    private readonly acceptsName: (name: string) => boolean,
  ) {
    this.headerBytes = Buffer.alloc(headerSize(pointerSize));
    this.bytes = this.headerBytes;
  }

  /** Whether anything has been written since the last message was sent or thrown away. */
  get started(): boolean {
    return this.have > 0;
  }

  get complete(): boolean {
    return this.header !== null && this.have === this.total;
  }

  reset(): void {
    this.bytes = this.headerBytes;
    this.have = 0;
    this.header = null;
    this.total = 0;
  }

  /** Takes more bytes; throws (having reset) on the first check they fail. */
  write(chunk: Uint8Array): void {
    try {
      this.take(chunk);
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  /**
   * The finished message; call only when {@link complete}. Its data is a view of the bytes
   * written, which are never touched again: the next message starts in a fresh buffer.
   */
  message(): WrittenMessage {
    const header = this.header!;
    if (!isEntireForm(header)) return { header };
    const hs = headerSize(this.pointerSize);
    const dataStart = hs + paddedNameLength(header.nameLen);
    return { header, body: { name: this.name, data: this.bytes.subarray(dataStart, dataStart + header.dataLen) } };
  }

  private take(chunk: Uint8Array): void {
    const hs = headerSize(this.pointerSize);
    let offset = 0;
    if (chunk.length > 0 && this.complete) throw new KbusError('EMSGSIZE', 'write', 'bytes after the end of the message');
    while (offset < chunk.length) {
      const limit = this.header ? this.total : hs;
      const n = Math.min(limit - this.have, chunk.length - offset);
      const before = this.have;
      this.bytes.set(chunk.subarray(offset, offset + n), this.have);
      this.have += n;
      offset += n;
      if (!this.header) {
        if (this.have === hs) this.headerDone();
      } else {
        this.checkBody(before);
      }
      if (this.complete && offset < chunk.length) throw new KbusError('EMSGSIZE', 'write', 'bytes after the end of the message');
    }
  }

  private headerDone(): void {
    const header = decodeHeader(this.bytes, this.pointerSize);
    const bad = headerError(header, this.maxMessageSize(), this.pointerSize);
    if (bad) throw new KbusError(bad, 'write', 'message header');
    this.header = header;
    if (!isEntireForm(header)) {
      this.total = this.have;
      return;
    }
    this.total = entireLength(header.nameLen, header.dataLen, this.pointerSize);
    const whole = Buffer.allocUnsafe(this.total);
    this.bytes.copy(whole, 0, 0, this.have);
    this.bytes = whole;
  }

  /** The entire-form checks whose bytes arrived in the last step (`before` = count before it). */
  private checkBody(before: number): void {
    const hs = headerSize(this.pointerSize);
    const nameEnd = hs + this.header!.nameLen;
    if (before < nameEnd && this.have >= nameEnd) {
      const name = nameFromBytes(this.bytes.subarray(hs, nameEnd));
      if (!this.acceptsName(name)) throw new KbusError('EBADMSG', 'write', 'bad message name');
      this.name = name;
    }
    if (this.have === this.total && this.bytes.readUInt32LE(this.total - 4) !== END_GUARD) {
      throw new KbusError('EINVAL', 'write', 'bad final end guard');
    }
  }
}
