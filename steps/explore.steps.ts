/**
 * The steps of the scenarios `kbus-conformance explore` writes for a difference it found
 * (reports/explore/*.feature): one step per operation of a random session, ids named as the
 * session names them (K1, K2 for Ksocks in the order opened, S1, S2 for serial numbers from
 * the first one seen: explore/labels.ts), so that the scenario replays on any device, fresh
 * or not. Every `When` records its outcome; the `Then` asserts what the reference answered.
 */

import { DataTable, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { KbusError } from '../wire/errno';
import { MessageId, MessageInit, decodeEntire, encodeEntire } from '../wire/message';
import { Labels } from '../explore/labels';
import type { Query } from '../explore/generator';
import { ask, maskIds, messageRows, readMessage, writeInPieces } from '../explore/session';
import { parseU32 } from './values';
import { KbusWorld, SetupError } from './world';

const labelsOf = new WeakMap<KbusWorld, Labels>();

/** The world's labels: the first Ksock of an explored session is always "K1". */
function labels(world: KbusWorld): Labels {
  let l = labelsOf.get(world);
  if (!l) {
    l = new Labels(
      (id) => world.nameOfId(id),
      () => world.idOf('K1'),
    );
    labelsOf.set(world, l);
  }
  return l;
}

/**
 * A message as an explored session's table gives it: name, flags, to, in reply to, data, and
 * what else the sender filled in: extra, and the id as written (NETWORK:SERIAL, which KBUS
 * replaces unless the network id is set).
 */
function messageFromRows(world: KbusWorld, rows: string[][]): MessageInit {
  const fields = new Map(rows.map(([k, v]) => [k, v]));
  const unknown = [...fields.keys()].filter((k) => !['name', 'flags', 'to', 'in reply to', 'data', 'extra', 'written id'].includes(k));
  if (unknown.length > 0) throw new SetupError(`unknown message field(s): ${unknown.join(', ')}`);
  const to = fields.get('to');
  const inReplyTo = fields.get('in reply to');
  const extra = fields.get('extra');
  const id = /^(\d+):(\d+)$/.exec(fields.get('written id') ?? '0:0');
  if (!id) throw new SetupError(`"written id" is NETWORK:SERIAL, e.g. 3:5, not "${fields.get('written id')}"`);
  return {
    ...(extra && { extra: parseU32(extra) }),
    id: { networkId: Number(id[1]), serialNum: Number(id[2]) },
    name: fields.get('name') ?? '',
    flags: parseU32(fields.get('flags') ?? '0'),
    data: Buffer.from(JSON.parse(fields.get('data') ?? '""') as string, 'latin1'),
    ...(to && { to: to === '0' ? 0 : world.idOf(to) }),
    ...(inReplyTo && { inReplyTo: labels(world).idOf(inReplyTo) }),
  };
}

async function sendFrom(world: KbusWorld, who: string, table: DataTable, pieces: number): Promise<void> {
  const init = messageFromRows(world, table.raw());
  const k = world.ksock(who);
  await world.attempt(async () => {
    await writeInPieces(k, encodeEntire(init, world.pointerSize), pieces);
    return labelled(world, await k.send());
  });
}

/** An id, seen by the scenario: named as the session names it. */
function labelled(world: KbusWorld, id: MessageId): { id: string } {
  return { id: labels(world).id(id) };
}

When('{string} writes the message in one piece and sends it:', async function (this: KbusWorld, who: string, table: DataTable) {
  await sendFrom(this, who, table, 0);
});

When('{string} writes the message in pieces of {int} bytes and sends it:', async function (this: KbusWorld, who: string, pieces: number, table: DataTable) {
  await sendFrom(this, who, table, pieces);
});

When('{string} sends what it has written once more', async function (this: KbusWorld, who: string) {
  await this.attempt(async () => labelled(this, await this.ksock(who).send()));
});

async function takeAndRead(world: KbusWorld, who: string, pieces: number): Promise<void> {
  const k = world.ksock(who);
  await world.attempt(async () => {
    const length = await k.nextMsg();
    if (length === 0) return { noMessage: true };
    const bytes = await readMessage(k, length, pieces);
    return { message: messageRows(bytes, decodeEntire(bytes, world.pointerSize), length, labels(world), world.pointerSize) };
  });
}

When('{string} takes the next message and reads all of it', async function (this: KbusWorld, who: string) {
  await takeAndRead(this, who, 0);
});

When('{string} takes the next message and reads all of it in pieces of {int} bytes', async function (this: KbusWorld, who: string, pieces: number) {
  await takeAndRead(this, who, pieces);
});

/** Bytes read of each Ksock's current message since it was taken, so that a read knows where it starts. */
const readPositions = new WeakMap<KbusWorld, Map<string, number>>();

function positions(world: KbusWorld): Map<string, number> {
  let p = readPositions.get(world);
  if (!p) readPositions.set(world, (p = new Map()));
  return p;
}

When('{string} takes the next message without reading it', async function (this: KbusWorld, who: string) {
  await this.attempt(async () => {
    const length = await this.ksock(who).nextMsg();
    positions(this).set(who, 0);
    return length;
  });
});

When('{string} reads up to {int} bytes of its current message', async function (this: KbusWorld, who: string, count: number) {
  await this.attempt(async () => {
    const bytes = await this.ksock(who).read(count);
    const start = positions(this).get(who) ?? 0;
    positions(this).set(who, start + bytes.length);
    return { bytes: bytes.length, masked: maskIds(bytes, start) };
  });
});

When('{string} looks whether it is readable or writable', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).poll({ readable: true, writable: true }, 0));
});

When(/^"([^"]+)" asks for its (LENLEFT|NUMMSGS|UNREPLIEDTO|KSOCKID|LASTSENT|MAXMSGS|MAXMSGSIZE)$/, async function (this: KbusWorld, who: string, query: Query) {
  await this.attempt(async () => {
    const value = await ask(this.ksock(who), query, '');
    return query === 'LASTSENT' ? labelled(this, value as MessageId) : value;
  });
});

When('{string} asks who is the replier for {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).replierOf(name));
});

function outcomeValue(world: KbusWorld, what: string): Record<string, unknown> {
  const value = world.succeededWith(what);
  if (typeof value !== 'object' || value === null || value instanceof KbusError) throw new SetupError(`the last action gave no ${what}`);
  return value as Record<string, unknown>;
}

Then('it gives the message id {word}', function (this: KbusWorld, label: string) {
  expect(outcomeValue(this, 'message id').id, 'message id, counted from the first the scenario saw').to.equal(label);
});

Then('there was no message to take', function (this: KbusWorld) {
  expect(outcomeValue(this, 'message'), 'what NEXTMSG found').to.deep.equal({ noMessage: true });
});

Then('the message it read is:', function (this: KbusWorld, table: DataTable) {
  const value = outcomeValue(this, 'message');
  if (!value.message) expect.fail('NEXTMSG found no message');
  expect(value.message, 'the message read, field by field').to.deep.equal(table.raw());
});

Then('{int} bytes come back, ids aside: {word}', function (this: KbusWorld, count: number, hex: string) {
  const value = outcomeValue(this, 'bytes');
  expect(value.bytes, 'bytes read').to.equal(count);
  expect(value.masked || '(none)', 'the bytes read, in hex, serial numbers and Ksock ids zeroed').to.equal(hex);
});

Then(/^it is (not )?readable and (not )?writable$/, function (this: KbusWorld, notReadable: string | undefined, notWritable: string | undefined) {
  const value = outcomeValue(this, 'poll result');
  expect(value, 'readiness').to.deep.equal({ readable: !notReadable, writable: !notWritable });
});
