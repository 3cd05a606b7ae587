/**
 * The message a Ksock is writing, assembled from write() calls of any size. The device judges
 * the bytes as they arrive, in its own order: the header checks once the header is complete,
 * then (entire form) the name once all its bytes are in, the final end guard once its 4 bytes
 * are in, and any byte beyond the end. Any failure throws the message away.
 */

import { END_GUARD, PointerSize } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { MessageHeader, decodeHeader, entireLength, headerError, headerSize, isEntireForm } from '../wire/message';
import { bytesSpellName, nameFromBytes } from '../wire/names';

/**
 * A completely written message: an entire one carries its name and every byte written (the
 * data among them; readers get them again but for what KBUS sets, holes and padding), a pointy
 * one only its header, whose pointers lead to the name and data fetched at SEND.
 */
export type WrittenMessage = { header: MessageHeader; name?: undefined; entire?: undefined } | { header: MessageHeader; name: string; entire: Buffer };

export class MessageWriter {
  /** Reused for every header; only bytes already written are ever read. */
  private readonly headerBytes: Buffer;
  private bytes: Buffer;
  private have = 0;
  private header: MessageHeader | null = null;
  /**
   * The name of the entire message last written here, once accepted. A client mostly sends
   * the same few names, so a name spelled the same is taken as already judged: the policy's
   * judgement depends on the name alone.
   */
  private name = '';
  /** Length of the whole message once the header is known: the header alone when pointy. */
  private total = 0;

  constructor(
    private readonly pointerSize: PointerSize,
    /** The device's judgement of a message's entire length against its size limit. */
    private readonly fitsSizeLimit: (length: number) => boolean,
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
   * The finished message; call only when {@link complete}. An entire one keeps the bytes
   * written, which are never touched here again: the next message starts in a fresh buffer.
   */
  message(): WrittenMessage {
    const header = this.header!;
    return isEntireForm(header) ? { header, name: this.name, entire: this.bytes } : { header };
  }

  private take(chunk: Uint8Array): void {
    if (chunk.length > 0 && this.complete) throw surplus();
    const hs = headerSize(this.pointerSize);
    let offset = 0;
    if (!this.header) {
      if (this.have === 0 && chunk.length >= hs) {
        // The usual case, a header in one piece: judged where it lies rather than gathered first,
        // then copied with whatever follows it.
        this.headerDone(chunk);
        if (this.complete) offset = hs;
      } else {
        offset = Math.min(hs - this.have, chunk.length);
        this.append(chunk, 0, offset);
        if (this.have < hs) return;
        this.headerDone(this.headerBytes);
      }
    }
    if (offset < chunk.length && !this.complete) {
      const before = this.have;
      const end = Math.min(offset + this.total - this.have, chunk.length);
      this.append(chunk, offset, end);
      offset = end;
      this.checkBody(before);
    }
    if (offset < chunk.length) throw surplus();
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    this.bytes.set(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end), this.have);
    this.have += end - start;
  }

  /**
   * Judges the header at the start of `source`: either the gathered header bytes, or a chunk
   * not yet copied (and `have` still 0). A pointy message is then complete; an entire one gets
   * its own buffer, holding the gathered header if there is one.
   */
  private headerDone(source: Uint8Array): void {
    const header = decodeHeader(source, this.pointerSize);
    // The size check comes last of the header checks: the device judges it.
    const bad = headerError(header, Infinity, this.pointerSize) ?? (this.fitsSizeLimit(entireLength(header.nameLen, header.dataLen, this.pointerSize)) ? null : 'EMSGSIZE');
    if (bad) throw new KbusError(bad, 'write', 'message header');
    this.header = header;
    if (!isEntireForm(header)) {
      this.total = this.have = headerSize(this.pointerSize);
      return;
    }
    this.total = entireLength(header.nameLen, header.dataLen, this.pointerSize);
    const whole = Buffer.allocUnsafe(this.total);
    if (this.have > 0) whole.set(this.headerBytes);
    this.bytes = whole;
  }

  /** The entire-form checks whose bytes arrived in the last step (`before` = count before it). */
  private checkBody(before: number): void {
    const hs = headerSize(this.pointerSize);
    const nameEnd = hs + this.header!.nameLen;
    if (before < nameEnd && this.have >= nameEnd && !bytesSpellName(this.bytes, hs, nameEnd, this.name)) {
      const name = nameFromBytes(this.bytes, hs, nameEnd);
      if (!this.acceptsName(name)) throw new KbusError('EBADMSG', 'write', 'bad message name');
      this.name = name;
    }
    if (this.have === this.total && this.bytes.readUInt32LE(this.total - 4) !== END_GUARD) {
      throw new KbusError('EINVAL', 'write', 'bad final end guard');
    }
  }
}

function surplus(): KbusError {
  return new KbusError('EMSGSIZE', 'write', 'bytes after the end of the message');
}
