/**
 * Ioctls: queue limits, the device-wide switches (replier-bind reporting, verbose logging), the
 * REPLIER query, KSOCKID, RESET, NEXTMSG's return value, LENLEFT as reading goes on, request
 * numbers the device must refuse, and the value an ioctl returned.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { Ksock } from '../adapters/adapter';
import { SWITCH_QUERY } from '../wire/constants';
import { IOCTL, IOC_MAGIC, IoctlName, ioctlNumber } from '../wire/ioctl';
import { decodeHeader, entireLength, headerSize, paddedNameLength } from '../wire/message';
import { nameBytes } from '../wire/names';
import { parseU32, quotedNames } from './values';
import { KbusWorld, SetupError } from './world';

/** The device-wide switches: 1 on, 0 off, 0xFFFFFFFF queries; each call returns the previous state. */
type DeviceSwitch = 'replier-bind reporting' | 'verbose logging';

function flip(k: Ksock, which: DeviceSwitch, value: number): Promise<number> {
  return which === 'replier-bind reporting' ? k.reportReplierBinds(value) : k.verbose(value);
}

Given(/^the queue of "([^"]+)" is limited to (\d+) messages?$/, async function (this: KbusWorld, who: string, limit: string) {
  const set = await this.setup(`MAXMSGS(${limit}) on ${who}`, () => this.ksock(who).maxMsgs(Number(limit)));
  if (set !== Number(limit)) throw new SetupError(`MAXMSGS(${limit}) on ${who} set the limit to ${set}`);
});

Given('{string} has turned on reporting of replier binds', async function (this: KbusWorld, who: string) {
  await this.setup(`REPORTREPLIERBINDS(1) on ${who}`, () => this.ksock(who).reportReplierBinds(1));
});

Given('{string} has turned off reporting of replier binds', async function (this: KbusWorld, who: string) {
  await this.setup(`REPORTREPLIERBINDS(0) on ${who}`, () => this.ksock(who).reportReplierBinds(0));
});

Then('{string} is the replier bound to {string}', async function (this: KbusWorld, who: string, name: string) {
  const asker = anyKsockName(this, who);
  expect(await this.ksock(asker).replierOf(name), `REPLIER for ${name}`).to.equal(this.idOf(who));
});

Then('no replier is bound to {string}', async function (this: KbusWorld, name: string) {
  expect(await this.ksock(anyKsockName(this)).replierOf(name), `REPLIER for ${name}`).to.equal(0);
});

function expectReturned(world: KbusWorld, value: number): void {
  expect(world.outcomeSaid(), 'returned').to.equal(value);
}

Then('it returns {int}', function (this: KbusWorld, value: number) {
  expectReturned(this, value);
});

Then('it returns the Ksock id of {string}', function (this: KbusWorld, who: string) {
  expectReturned(this, this.idOf(who));
});

/** The REPLIER query may be asked through any Ksock of the bus; prefer the one named. */
function anyKsockName(world: KbusWorld, preferred?: string): string {
  const open = world.openKsockNames();
  if (preferred && open.includes(preferred)) return preferred;
  if (open.length === 0) throw new SetupError('no open Ksock to ask REPLIER through');
  return open[0];
}

Given(/^"([^"]+)" has set (replier-bind reporting|verbose logging) with argument (\S+)$/, async function (this: KbusWorld, who: string, which: DeviceSwitch, arg: string) {
  await this.setup(`${which} (${arg}) through ${who}`, () => flip(this.ksock(who), which, parseU32(arg)));
});

When(/^"([^"]+)" sets (replier-bind reporting|verbose logging) with argument (\S+)$/, async function (this: KbusWorld, who: string, which: DeviceSwitch, arg: string) {
  await this.attempt(() => flip(this.ksock(who), which, parseU32(arg)));
});

Then(/^successive (replier-bind reporting|verbose logging) calls on "([^"]+)" return:$/, async function (this: KbusWorld, which: DeviceSwitch, who: string, table: DataTable) {
  for (const { argument, returns } of table.hashes()) {
    expect(await flip(this.ksock(who), which, parseU32(argument)), `${which} (${argument}) through "${who}"`).to.equal(Number(returns));
  }
});

Then(/^(replier-bind reporting|verbose logging) is (on|off) as seen by "([^"]+)"$/, async function (this: KbusWorld, which: DeviceSwitch, state: string, who: string) {
  expect(await flip(this.ksock(who), which, SWITCH_QUERY), `${which} queried through "${who}"`).to.equal(state === 'on' ? 1 : 0);
});

// ---- KSOCKID, REPLIER, RESET ---------------------------------------------------------------

Then(/^the Ksock ids of ((?:"[^"]+"(?:, | and )?)+) are all different and none is 0$/, function (this: KbusWorld, list: string) {
  const ids = quotedNames(list).map((n) => this.idOf(n));
  expect(ids, 'Ksock ids').to.not.include(0);
  expect(new Set(ids).size, `Ksock ids ${ids.join(', ')} all different`).to.equal(ids.length);
});

Then('KSOCKID of {string} still gives its id', async function (this: KbusWorld, who: string) {
  expect(await this.ksock(who).ksockId(), `KSOCKID of "${who}"`).to.equal(this.idOf(who));
});

When('{string} asks REPLIER who is bound to {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).replierOf(name));
});

When('{string} asks REPLIER who is bound to a name of {int} bytes', async function (this: KbusWorld, who: string, length: number) {
  const name = `$.${'a'.repeat(Math.max(0, length - 2))}`.slice(0, length);
  await this.attempt(() => this.ksock(who).replierOf(name));
});

When('{string} calls RESET', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).reset());
});

// ---- Request numbers ------------------------------------------------------------------------

function rawIoctl(world: KbusWorld, who: string): NonNullable<Ksock['rawIoctl']> {
  const k = world.ksock(who);
  if (!k.rawIoctl) throw new SetupError(`the ${world.adapter.name} adapter has no rawIoctl`);
  return k.rawIoctl.bind(k);
}

const DIRECTION_BITS = 30;
const SIZE_BITS = 16;
const TYPE_BITS = 8;

function request(direction: number, size: number, type: number, nr: number): number {
  return ((direction << DIRECTION_BITS) | (size << SIZE_BITS) | (type << TYPE_BITS) | nr) >>> 0;
}

/** Request numbers a KBUS device does not know, described in words (see ioctls.feature). */
function unknownRequest(description: string, world: KbusWorld): number {
  const known = (name: IoctlName) => ioctlNumber(name, world.pointerSize);
  const withField = (n: number, shift: number, width: number, value: number) =>
    ((n & ~(((1 << width) - 1) << shift)) | (value << shift)) >>> 0;
  let m: RegExpExecArray | null;
  if ((m = /^(\w+) with type '(.)' instead of 'k'$/.exec(description))) {
    return withField(known(m[1] as IoctlName), TYPE_BITS, 8, m[2].charCodeAt(0));
  }
  if ((m = /^number (\d+) of type 'k'/.exec(description))) return request(0, 0, IOC_MAGIC, Number(m[1]));
  if ((m = /^(\w+) with an argument size of (\d+)$/.exec(description))) {
    return withField(known(m[1] as IoctlName), SIZE_BITS, 14, Number(m[2]));
  }
  if ((m = /^(\w+) declared as (writing to the device|only reading from it)$/.exec(description))) {
    return withField(known(m[1] as IoctlName), DIRECTION_BITS, 2, m[2] === 'writing to the device' ? 1 : 2);
  }
  throw new SetupError(`cannot read "${description}" as an ioctl request`);
}

When('{string} issues the ioctl request number of {}', async function (this: KbusWorld, who: string, description: string) {
  const number = unknownRequest(description, this);
  if (Object.values(IOCTL[this.pointerSize]).includes(number)) throw new SetupError(`${description} is a known request`);
  const call = rawIoctl(this, who);
  await this.attempt(() => call(number, 0));
});

When('{string} issues NEXTMSG by its request number', async function (this: KbusWorld, who: string) {
  const call = rawIoctl(this, who);
  await this.attempt(() => call(IOCTL[this.pointerSize].NEXTMSG, 0));
});

// ---- LENLEFT as reading goes on --------------------------------------------------------------

/** The length NEXTMSG reported and the bytes read since, per scenario and Ksock. */
const reading = new WeakMap<KbusWorld, Map<string, { length: number; read: number }>>();

/** NEXTMSG, then reads until `wanted(bytes read so far)` bytes have been read. */
async function takeAndRead(world: KbusWorld, who: string, wanted: (soFar: Buffer) => number): Promise<void> {
  const k = world.ksock(who);
  const length = await k.nextMsg();
  if (length === 0) expect.fail(`"${who}" expected a message but its queue is empty`);
  let soFar = Buffer.alloc(0);
  while (soFar.length < wanted(soFar)) {
    const piece = await k.read(wanted(soFar) - soFar.length);
    if (piece.length === 0) expect.fail(`read() on "${who}" ended after ${soFar.length} of ${length} bytes`);
    soFar = Buffer.concat([soFar, piece]);
  }
  const state = reading.get(world) ?? new Map();
  state.set(who, { length, read: soFar.length });
  reading.set(world, state);
}

When('{string} takes the next message and reads {int} bytes of it', async function (this: KbusWorld, who: string, count: number) {
  await this.attempt(() => takeAndRead(this, who, () => count));
});

When(
  '{string} takes the next message and reads the header, the padded name and {int} byte(s) of data',
  async function (this: KbusWorld, who: string, count: number) {
    const hs = headerSize(this.pointerSize);
    // name_len sits in the header: until the header is in, ask for the header alone.
    const wanted = (soFar: Buffer) => (soFar.length < hs ? hs : hs + paddedNameLength(decodeHeader(soFar, this.pointerSize).nameLen) + count);
    await this.attempt(() => takeAndRead(this, who, wanted));
  },
);

When('{string} calls REPLIER for {string}', async function (this: KbusWorld, who: string, name: string) {
  const k = this.ksock(who);
  if (!k.replierQuery) {
    this.log(`skipped: the ${this.adapter.name} adapter does not report REPLIER's own return value`);
    return 'skipped';
  }
  await this.attempt(() => k.replierQuery!(name));
  return undefined;
});

Then(/^the REPLIER call returned (\d+) and named (?:"([^"]+)"|no Ksock)$/, function (this: KbusWorld, returned: string, who: string | null | undefined) {
  const said = this.succeededWith('REPLIER') as { returned: number; id: number };
  expect(said.returned, "REPLIER's return value").to.equal(Number(returned));
  expect(said.id, 'return_id').to.equal(who ? this.idOf(who) : 0);
});

When('{string} takes the next message and reads the header and {int} byte(s) of the name', async function (this: KbusWorld, who: string, count: number) {
  const hs = headerSize(this.pointerSize);
  await this.attempt(() => takeAndRead(this, who, () => hs + count));
});

Then('LENLEFT of {string} is the length NEXTMSG reported less the bytes read so far', async function (this: KbusWorld, who: string) {
  const state = reading.get(this)?.get(who);
  if (!state) throw new SetupError(`"${who}" has not taken a message and read part of it`);
  expect(await this.ksock(who).lenLeft(), `LENLEFT of "${who}" after ${state.read} of ${state.length} bytes`).to.equal(state.length - state.read);
});

Then('LENLEFT of {string} is the entire length of a message {string} with {int} data bytes', async function (this: KbusWorld, who: string, name: string, data: number) {
  expect(await this.ksock(who).lenLeft(), `LENLEFT of "${who}"`).to.equal(entireLength(nameBytes(name).length, data, this.pointerSize));
});
