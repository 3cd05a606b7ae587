/**
 * How scenario text names values: Ksocks by name (`alice` means alice's Ksock id), message ids
 * by who sent them (`alice's last message`), flags by name (`WANT_A_REPLY|URGENT`), data as
 * quoted text or hex (`0x00ff`). Used for both message tables and field expectations.
 */

import { expect } from 'chai';
import { Message, MessageId, MessageInit, formatId } from '../wire/message';
import { KbusWorld, MessageKind, SetupError, parseFlags, sentKey } from './world';

const LAST_MESSAGE = /^(.+?)'s last (?:message|request|reply|announcement)$/;
const NAMED_MESSAGE = /^(.+?)'s (message|request|reply|announcement) "(.+)"$/;
const EXPLICIT_ID = /^\[?(\d+):(\d+)\]?$/;

/** The quoted names of a list such as `"alice", "bob" and "carol"`. */
export function quotedNames(list: string): string[] {
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

export function resolveKsockId(world: KbusWorld, text: string): number {
  const t = text.trim().replace(/^"|"$/g, '');
  if (/^\d+$/.test(t)) return Number(t);
  return world.idOf(t);
}

export function resolveMessageId(world: KbusWorld, text: string): MessageId {
  const t = text.trim();
  const explicit = EXPLICIT_ID.exec(t);
  if (explicit) return { networkId: Number(explicit[1]), serialNum: Number(explicit[2]) };
  const last = LAST_MESSAGE.exec(t);
  if (last) {
    const sender = last[1].replace(/^"|"$/g, '');
    return world.idSentBy(sender);
  }
  const named = NAMED_MESSAGE.exec(t);
  if (named) {
    const sender = named[1].replace(/^"|"$/g, '');
    const kind = named[2] as MessageKind | 'message';
    const id = world.sentByName.get(sentKey(sender, kind, named[3]));
    if (!id) throw new SetupError(`"${sender}" has not sent a ${kind} named ${named[3]}`);
    return id;
  }
  throw new SetupError(`cannot read "${text}" as a message id (use "[n:s]", "alice's last message" or "alice's request \"$.Name\"")`);
}

/** An ioctl argument as a scenario writes it: decimal or `0x` hex, within u32. */
export function parseU32(text: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new SetupError(`"${text}" is not a u32 argument`);
  return n;
}

export function resolveData(text: string): Buffer {
  const t = text.trim();
  if (/^0x([0-9a-f]{2})*$/i.test(t)) return Buffer.from(t.slice(2), 'hex');
  const quoted = /^"(.*)"$/.exec(t);
  if (quoted) return Buffer.from(quoted[1], 'latin1');
  const repeated = /^(\d+) bytes? of (0x[0-9a-f]{2}|"[^"]")$/i.exec(t);
  if (repeated) return Buffer.alloc(Number(repeated[1]), resolveData(repeated[2]));
  const counting = /^(\d+) bytes? counting up$/i.exec(t);
  if (counting) return Buffer.from(Array.from({ length: Number(counting[1]) }, (_, i) => i & 0xff));
  if (t === '' || t === 'none') return Buffer.alloc(0);
  throw new SetupError(`cannot read "${text}" as data (use "text", 0x00ff, "N bytes of 0xNN", "N bytes counting up" or none)`);
}

/** The plain reply to a request: same name, back to its sender, naming its id. */
export function replyInit(request: Message): MessageInit {
  return { name: request.name, to: request.from, inReplyTo: request.id };
}

/** Builds a message from a two-column table of `field | value`. */
export function messageFromTable(world: KbusWorld, rows: string[][]): MessageInit {
  const init: MessageInit = { name: '' };
  for (const [field, value] of rows) {
    switch (field.trim()) {
      case 'name':
        init.name = value.trim();
        break;
      case 'flags':
        init.flags = parseFlags(value);
        break;
      case 'to':
        init.to = resolveKsockId(world, value);
        break;
      case 'from':
        init.from = resolveKsockId(world, value);
        break;
      case 'in_reply_to':
        init.inReplyTo = resolveMessageId(world, value);
        break;
      case 'id':
        init.id = resolveMessageId(world, value);
        break;
      case 'extra':
        init.extra = Number(value);
        break;
      case 'orig_from':
      case 'final_to': {
        const id = resolveMessageId(world, value);
        const address = { networkId: id.networkId, localId: id.serialNum };
        if (field.trim() === 'orig_from') init.origFrom = address;
        else init.finalTo = address;
        break;
      }
      case 'data':
        init.data = resolveData(value);
        break;
      default:
        throw new SetupError(`unknown message field "${field}"`);
    }
  }
  if (!init.name) throw new SetupError('a message table needs a name');
  return init;
}

/** The value a message has in a field, in the same terms the table uses for expectations. */
export function fieldMatches(world: KbusWorld, m: Message, field: string, expected: string): { actual: string; wanted: string } {
  switch (field.trim()) {
    case 'name':
      return { actual: m.name, wanted: expected.trim() };
    case 'flags':
      return { actual: String(m.flags), wanted: String(parseFlags(expected)) };
    case 'to':
      return { actual: String(m.to), wanted: String(resolveKsockId(world, expected)) };
    case 'from':
      return { actual: String(m.from), wanted: String(resolveKsockId(world, expected)) };
    case 'in_reply_to':
      return { actual: formatPair(m.inReplyTo), wanted: formatPair(resolveMessageId(world, expected)) };
    case 'id':
      return { actual: formatPair(m.id), wanted: formatPair(resolveMessageId(world, expected)) };
    case 'extra':
      return { actual: String(m.extra), wanted: String(Number(expected)) };
    case 'orig_from':
      return { actual: `${m.origFrom.networkId}:${m.origFrom.localId}`, wanted: formatPair(resolveMessageId(world, expected)) };
    case 'final_to':
      return { actual: `${m.finalTo.networkId}:${m.finalTo.localId}`, wanted: formatPair(resolveMessageId(world, expected)) };
    case 'data':
      return { actual: m.data.toString('hex'), wanted: resolveData(expected).toString('hex') };
    case 'data_len':
      return { actual: String(m.data.length), wanted: String(Number(expected)) };
    default:
      throw new SetupError(`unknown message field "${field}"`);
  }
}

function formatPair(id: MessageId): string {
  return `${id.networkId}:${id.serialNum}`;
}

/** Asserts each `field | value` row of a table against a message `who` read. */
export function expectFields(world: KbusWorld, m: Message, rows: string[][], who: string): void {
  for (const [field, value] of rows) {
    const { actual, wanted } = fieldMatches(world, m, field, value);
    expect(actual, `${field} of ${m.name} ${formatId(m.id)} as read by "${who}"`).to.equal(wanted);
  }
}

/** Reads a Ksock's queue until NEXTMSG reports 0; bounded, so that a device that never empties fails rather than hangs. */
export async function readAll(world: KbusWorld, who: string): Promise<Message[]> {
  const got: Message[] = [];
  for (let i = 0; i < 10_000; i++) {
    const m = await world.readNext(who);
    if (!m) return got;
    got.push(m);
  }
  return expect.fail(`"${who}" still had messages after 10000 reads`);
}
