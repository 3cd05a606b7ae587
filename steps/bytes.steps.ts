/**
 * The byte-level vocabulary: writing messages (entire or pointy, whole, in pieces, partly, with
 * faults), SEND and DISCARD of what was written, NEXTMSG, read() in pieces, LENLEFT.
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { settlesWithin } from '../adapters/bounded';
import { KbusError } from '../wire/errno';
import { entireLength, formatId, headerSize, paddedNameLength } from '../wire/message';
import { nameBytes } from '../wire/names';
import { MessageDescription, describeMessage, entireBytes, scratch, writeInPieces, writePointy } from './message-bytes';
import { readAll } from './values';
import { KbusWorld, SetupError } from './world';

// ---- Writing ------------------------------------------------------------------------------

/** Writes the described message, or the part of it a scenario names, remembering the rest. */
async function writeMessage(world: KbusWorld, who: string, form: string, name: string, tail: string, part?: string): Promise<unknown> {
  const d: MessageDescription = describeMessage(name, tail);
  scratch(world).written.set(who, { name, flags: d.flags, data: d.data });
  if (/pointy/.test(form)) {
    if (part) throw new SetupError('a pointy message is written whole');
    return writePointy(world, who, d);
  }
  const ksock = world.ksock(who);
  const bytes = await entireBytes(world, ksock, d);
  const count = part ? partLength(world, part, d.name, bytes.length) : bytes.length;
  scratch(world).unwritten.set(who, bytes.subarray(count));
  scratch(world).lastMessageLength = bytes.length;
  world.trace.push({ ksock: who, event: `writing ${count} of the ${bytes.length} bytes of ${name}${d.faults.length ? ` with ${d.faults.join(', ')}` : ''}` });
  if (d.pieces) return writeInPieces(ksock, bytes.subarray(0, count), d.pieces);
  return ksock.write(bytes.subarray(0, count));
}

When(
  '{string} writes, one byte at a time, an entire message {string} with {int} data byte(s), {string} counting its queue after each byte',
  async function (this: KbusWorld, who: string, name: string, data: number, watcher: string) {
    const d = describeMessage(name, `with ${data} data bytes`);
    scratch(this).written.set(who, { name, flags: d.flags, data: d.data });
    const ksock = this.ksock(who);
    const bytes = await entireBytes(this, ksock, d);
    await this.attempt(async () => {
      const queued: number[] = [];
      for (let at = 0; at < bytes.length; at++) {
        await ksock.write(bytes.subarray(at, at + 1));
        queued.push(await this.ksock(watcher).numMsgs());
      }
      return queued;
    });
  },
);

Then('{string} had no message queued after any of those bytes', function (this: KbusWorld, watcher: string) {
  const queued = this.succeededWith('the byte-by-byte write') as number[];
  const after = queued.findIndex((n) => n !== 0);
  expect(after < 0 ? 'none' : `${queued[after]} after byte ${after + 1} of ${queued.length}`, `messages "${watcher}" had queued`).to.equal('none');
});

function partLength(world: KbusWorld, part: string, name: string, total: number): number {
  if (part === 'all') return total;
  if (part === 'the header') return headerSize(world.pointerSize);
  if (part === 'the header and padded name') return headerSize(world.pointerSize) + paddedNameLength(nameBytes(name).length);
  const first = /^the first (?:byte|(\d+) bytes)$/.exec(part);
  if (first) return first[1] ? Number(first[1]) : 1;
  const allBut = /^all but the last (?:byte|(\d+) bytes)$/.exec(part);
  if (allBut) return total - (allBut[1] ? Number(allBut[1]) : 1);
  throw new SetupError(`cannot read "${part}" as a part of a message`);
}

const PART = '(the header|the header and padded name|the first byte|the first \\d+ bytes|all but the last byte|all but the last \\d+ bytes|all)';
const WRITE = new RegExp(`^"([^"]+)" writes (?:${PART} of )?(an entire|a pointy) message "([^"]*)"(.*)$`);
const HAS_WRITTEN = new RegExp(`^"([^"]+)" has written (?:${PART} of )?(an entire|a pointy) message "([^"]*)"(.*)$`);

When(WRITE, async function (this: KbusWorld, who: string, part: string | undefined, form: string, name: string, tail: string) {
  await this.attempt(() => writeMessage(this, who, form, name, tail, part));
});

Given(HAS_WRITTEN, async function (this: KbusWorld, who: string, part: string | undefined, form: string, name: string, tail: string) {
  await this.setup(`write ${name} from ${who}`, () => writeMessage(this, who, form, name, tail, part));
});

When('{string} writes an entire message named {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => writeMessage(this, who, 'an entire', name, ''));
});

When('{string} writes the rest of the message', async function (this: KbusWorld, who: string) {
  const rest = scratch(this).unwritten.get(who);
  if (!rest?.length) throw new SetupError(`"${who}" has nothing left of a message to write`);
  scratch(this).unwritten.delete(who);
  await this.attempt(() => this.ksock(who).write(rest));
});

When(/^"([^"]+)" writes (\d+) more bytes?$/, async function (this: KbusWorld, who: string, count: string) {
  await this.attempt(() => this.ksock(who).write(Buffer.alloc(Number(count))));
});

Then("the write accepted exactly one header's worth of bytes", function (this: KbusWorld) {
  expect(acceptedCount(this), 'bytes write() accepted').to.equal(this.pointerSize === 8 ? 88 : 72);
});

Then("the write accepted all of the message's bytes", function (this: KbusWorld) {
  expect(acceptedCount(this), 'bytes write() accepted').to.equal(scratch(this).lastMessageLength);
});

Then(/^every write accepted its whole (?:byte|piece)$/, function (this: KbusWorld) {
  const pieces = outcomeValue(this) as [number, number][];
  if (!Array.isArray(pieces)) throw new SetupError('the last action was not a write in pieces');
  pieces.forEach(([given, accepted], i) => expect(accepted, `bytes write() #${i + 1} accepted of ${given}`).to.equal(given));
});

function outcomeValue(world: KbusWorld): unknown {
  return world.succeededWith('the action');
}

function acceptedCount(world: KbusWorld): number {
  const value = outcomeValue(world);
  if (typeof value !== 'number') throw new SetupError('the last action was not a single write');
  return value;
}

// ---- SEND and DISCARD ------------------------------------------------------------------------

/** SEND of whatever `who` has written, described by the last message a step wrote for it. */
function sendWritten(world: KbusWorld, who: string) {
  return world.sendWritten(who, scratch(world).written.get(who) ?? { name: '' });
}

When('{string} sends what it has written', async function (this: KbusWorld, who: string) {
  await this.attempt(() => sendWritten(this, who));
});

Given('{string} has sent what it has written', async function (this: KbusWorld, who: string) {
  await this.setup(`SEND from ${who}`, () => sendWritten(this, who));
});

Given('{string} has tried to send what it has written, failing with {word}', async function (this: KbusWorld, who: string, errno: string) {
  const outcome = await this.attempt(() => sendWritten(this, who));
  const got = outcome.ok ? 'success' : outcome.error.errno;
  if (got !== errno) throw new SetupError(`SEND from ${who} gave ${got}, not ${errno}`);
});

Then('{string} has nothing left to send', async function (this: KbusWorld, who: string) {
  let result = 'success';
  try {
    const id = await this.ksock(who).send();
    result = `a send as ${formatId(id)}`;
  } catch (e) {
    if (!(e instanceof KbusError)) throw e;
    result = e.errno;
  }
  expect(result, `a further SEND from "${who}"`).to.equal('ENOMSG');
});

When('{string} discards what it has written', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).discard());
});

Given('{string} has discarded what it has written', async function (this: KbusWorld, who: string) {
  await this.setup(`DISCARD on ${who}`, () => this.ksock(who).discard());
});

// ---- NEXTMSG, read() and LENLEFT -------------------------------------------------------------

When('{string} takes the next message', async function (this: KbusWorld, who: string) {
  await this.attempt(async () => {
    const length = await this.ksock(who).nextMsg();
    scratch(this).partlyRead.set(who, []);
    return length;
  });
});

Given('{string} has taken the next message and read {int} bytes of it', async function (this: KbusWorld, who: string, count: number) {
  const k = this.ksock(who);
  const length = await this.setup(`NEXTMSG on ${who}`, () => k.nextMsg());
  if (length === 0) throw new SetupError(`"${who}" had no message to take`);
  const piece = await this.setup(`read ${count} bytes on ${who}`, () => k.read(count));
  scratch(this).partlyRead.set(who, [piece]);
});

Then('NEXTMSG reported a length of {int}', function (this: KbusWorld, length: number) {
  expect(outcomeValue(this), 'length NEXTMSG reported').to.equal(length);
});

Then('NEXTMSG reported the entire length of a message {string} with {int} data bytes', function (this: KbusWorld, name: string, data: number) {
  expect(outcomeValue(this), 'length NEXTMSG reported').to.equal(entireLength(nameBytes(name).length, data, this.pointerSize));
});

When('{string} reads up to {int} bytes', async function (this: KbusWorld, who: string, count: number) {
  await this.attempt(() => this.ksock(who).read(count));
});

Then('no bytes come back', function (this: KbusWorld) {
  const value = outcomeValue(this);
  if (!Buffer.isBuffer(value)) throw new SetupError('the last action was not a read');
  expect(value.length, 'bytes read').to.equal(0);
});

/** Reads the rest of the current message in pieces of `size`; returns the sizes read. */
async function readRest(world: KbusWorld, who: string, size: number): Promise<number[]> {
  const k = world.ksock(who);
  const pieces = scratch(world).partlyRead.get(who) ?? [];
  const sizes: number[] = [];
  for (;;) {
    const piece = await k.read(size);
    if (piece.length === 0) break;
    if (piece.length > size) expect.fail(`read(${size}) on "${who}" returned ${piece.length} bytes`);
    pieces.push(piece);
    sizes.push(piece.length);
  }
  scratch(world).partlyRead.delete(who);
  world.recordRead(who, Buffer.concat(pieces));
  return sizes;
}

When('{string} reads the next message in pieces of {int} bytes', async function (this: KbusWorld, who: string, size: number) {
  await this.attempt(async () => {
    const length = await this.ksock(who).nextMsg();
    if (length === 0) expect.fail(`"${who}" expected a message but its queue is empty`);
    scratch(this).partlyRead.set(who, []);
    return { length, sizes: await readRest(this, who, size), size };
  });
});

Then('every piece was as long as asked for, except perhaps the last', function (this: KbusWorld) {
  const { length, sizes, size } = outcomeValue(this) as { length: number; sizes: number[]; size: number };
  sizes.slice(0, -1).forEach((got, i) => expect(got, `bytes read by read #${i + 1}`).to.equal(size));
  expect(sizes.reduce((a, b) => a + b, 0), 'bytes read in all').to.equal(length);
});

When('{string} reads the rest of the current message', async function (this: KbusWorld, who: string) {
  await this.attempt(() => readRest(this, who, 4096));
});

Then('the message {string} is reading is {string}', async function (this: KbusWorld, who: string, name: string) {
  await readRest(this, who, 4096);
  expect(this.lastRead.get(who)?.name, `name of the message "${who}" is reading`).to.equal(name);
});

When('{string} reads messages until NEXTMSG reports 0', async function (this: KbusWorld, who: string) {
  await this.attempt(async () => (await readAll(this, who)).map((m) => m.name));
});

Then('{string} has read exactly these messages, in order:', function (this: KbusWorld, who: string, table: { raw(): string[][] }) {
  const names = outcomeValue(this) as string[];
  expect(names, `messages "${who}" read`).to.deep.equal(table.raw().map(([n]) => n));
});

Then('LENLEFT of {string} is {int}', async function (this: KbusWorld, who: string, left: number) {
  expect(await this.ksock(who).lenLeft(), `LENLEFT of "${who}"`).to.equal(left);
});

// ---- Never blocking ------------------------------------------------------------------------

/** How long a call that must not wait may take before it counts as waiting. */
const AT_ONCE_MS = 1000;

async function returnsAtOnce<T>(what: string, call: () => Promise<T>): Promise<T> {
  let pending!: Promise<T>;
  if (!(await settlesWithin(() => (pending = call()), AT_ONCE_MS))) expect.fail(`${what} had not returned after ${AT_ONCE_MS} ms`);
  return pending;
}

Then('reading up to {int} bytes from {string} returns at once with no bytes', async function (this: KbusWorld, count: number, who: string) {
  const bytes = await returnsAtOnce(`read(${count}) on "${who}"`, () => this.ksock(who).read(count));
  expect(bytes.length, 'bytes read').to.equal(0);
});

Then('writing an entire message {string} through {string} returns at once', async function (this: KbusWorld, name: string, who: string) {
  const bytes = await entireBytes(this, this.ksock(who), describeMessage(name, ''));
  const accepted = await returnsAtOnce(`write() on "${who}"`, () => this.ksock(who).write(bytes));
  expect(accepted, 'bytes write() accepted').to.equal(bytes.length);
});

