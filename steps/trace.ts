/**
 * What each Ksock of a scenario did and what came of it, messages sent and received decoded:
 * attached to a scenario that did not pass, so a reader sees what happened on the bus without
 * running it again. Every call a step makes goes through {@link traced}, so no step has to
 * remember to record anything.
 */

import type { Ksock } from '../adapters/adapter';
import { FLAG, FlagName, PointerSize } from '../wire/constants';
import { Message, decodeEntire, formatId } from '../wire/message';
import { errnoOf } from '../wire/errno';

export interface TraceEntry {
  ksock: string;
  event: string;
  /** A message as written or read; decoded only when the trace is shown, which most scenarios never need. */
  bytes?: Buffer;
}

/** Calls too frequent or too dull to be worth a line. */
const UNTRACED = new Set<string>(['ksockId', 'lenLeft']);

/** A call's argument or result in a few characters: byte counts for bytes, pointers in hex. */
function show(value: unknown): string {
  if (value === undefined) return 'done';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)) ?? String(value);
}

/** Decodes what a Ksock wrote or read, or says why it cannot. */
function decoded(bytes: Buffer, pointerSize: PointerSize): { message?: Message; note: string } {
  try {
    return { message: decodeEntire(bytes, pointerSize), note: '' };
  } catch (e) {
    return { note: ` (${bytes.length} bytes that do not decode: ${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Wraps a Ksock so that each of its calls, and the messages it sends and reads, land in `trace`. */
export function traced(ksock: Ksock, name: string, trace: TraceEntry[]): Ksock {
  let written: Buffer[] = [];
  let reading: { length: number; chunks: Buffer[]; got: number } | undefined;
  const note = (event: string, bytes?: Buffer) => trace.push({ ksock: name, event, bytes });

  const after: Partial<Record<keyof Ksock, (args: unknown[], result: unknown) => void>> = {
    write: (args) => void written.push(Buffer.from(args[0] as Uint8Array)),
    send: (_args, id) => {
      note(`sent, given id ${formatId(id as Message['id'])}`, Buffer.concat(written));
      written = [];
    },
    discard: () => {
      written = [];
      note('DISCARD');
    },
    nextMsg: (_args, length) => {
      reading = (length as number) > 0 ? { length: length as number, chunks: [], got: 0 } : undefined;
      if (!reading) note('NEXTMSG: queue empty');
    },
    read: (_args, chunk) => {
      const bytes = chunk as Buffer;
      if (!reading || bytes.length === 0) return;
      reading.chunks.push(bytes);
      reading.got += bytes.length;
      if (reading.got < reading.length) return;
      note(`received ${reading.length} bytes`, Buffer.concat(reading.chunks));
      reading = undefined;
    },
    bind: (args) => note(`BIND ${args[1] ? 'replier' : 'listener'} ${String(args[0])}`),
    unbind: (args) => note(`UNBIND ${args[1] ? 'replier' : 'listener'} ${String(args[0])}`),
    close: () => note('closed'),
  };

  return new Proxy(ksock, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || UNTRACED.has(property)) return value;
      const method = property as keyof Ksock;
      return async (...args: unknown[]) => {
        let result: unknown;
        try {
          result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (e) {
          if (method === 'write' || method === 'send') {
            note(`${method === 'send' ? 'SEND' : 'write'} refused: ${errnoOf(e)}`, method === 'send' ? Buffer.concat(written) : undefined);
            written = [];
          } else {
            note(`${method}(${args.map(show).join(', ')}) refused: ${errnoOf(e)}`);
          }
          throw e;
        }
        const record = after[method];
        if (record) record(args, result);
        else note(`${method}(${args.map(show).join(', ')}) → ${show(result)}`);
        return result;
      };
    },
  });
}

/** The trace as text: one line per event, messages decoded with Ksock names. */
export function traceText(trace: readonly TraceEntry[], pointerSize: PointerSize, nameOfId: (id: number) => string | undefined): string {
  return trace
    .map((t) => {
      const line = `${t.ksock.padEnd(10)} ${t.event}`;
      if (!t.bytes) return line;
      const { message, note } = decoded(t.bytes, pointerSize);
      return message ? `${line}\n${indent(describeMessage(message, nameOfId))}` : `${line}${note}`;
    })
    .join('\n');
}

function describeMessage(m: Message, nameOfId: (id: number) => string | undefined): string {
  const who = (id: number) => (id === 0 ? '0' : `${id}${nameOfId(id) ? ` (${nameOfId(id)})` : ''}`);
  const data = m.data.length === 0 ? '(none)' : printable(m.data);
  return [
    `name ${m.name}  id ${formatId(m.id)}  in_reply_to ${formatId(m.inReplyTo)}`,
    `from ${who(m.from)}  to ${who(m.to)}  flags ${describeFlags(m.flags)}`,
    `data ${data}`,
  ].join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `             ${l}`)
    .join('\n');
}

function printable(data: Buffer): string {
  const text = data.toString('latin1');
  const shown = /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `0x${data.toString('hex')}`;
  return data.length > 64 ? `${data.length} bytes, starting ${shown.slice(0, 64)}…` : shown;
}

/** Flags as names, e.g. `WANT_A_REPLY|URGENT`, keeping unknown bits as hex. */
export function describeFlags(flags: number): string {
  const names: string[] = [];
  let rest = flags >>> 0;
  for (const [name, bit] of Object.entries(FLAG) as [FlagName, number][]) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names.length ? names.join('|') : '0';
}
