/**
 * The ALL_OR_WAIT sending state (entered with `is left waiting to send the message:`): the id its
 * waiting message was given, retrying with SEND, abandoning with DISCARD, SEND returning at once.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { settlesWithin } from '../adapters/bounded';
import { KbusError, errnoOf } from '../wire/errno';
import { MessageId, MessageInit, encodeEntire, formatId } from '../wire/message';
import { messageFromTable } from './values';
import { KbusWorld, SetupError } from './world';

/** Whether the last time-limited SEND came back before its limit, per scenario. */
const returnedInTime = new WeakMap<KbusWorld, boolean>();

/** Leaving a Ksock waiting records the id SEND assigned (read back by LASTSENT) as its last. */
function waitingId(world: KbusWorld, who: string): MessageId {
  const id = world.lastSent.get(who);
  if (!id) throw new SetupError(`"${who}" has no message waiting to be sent`);
  return id;
}

async function write(world: KbusWorld, who: string, init: MessageInit): Promise<number> {
  return world.ksock(who).write(encodeEntire(init, world.pointerSize));
}

Given('{string} is left waiting to send the message:', async function (this: KbusWorld, who: string, table: DataTable) {
  const init = messageFromTable(this, table.raw());
  try {
    await this.sendMessage(who, init);
  } catch (e) {
    if (!(e instanceof KbusError) || e.errno !== 'EAGAIN') {
      throw new SetupError(`"${who}" was to be left waiting (EAGAIN), but sending ${init.name} gave ${errnoOf(e)}`);
    }
    // The id is assigned before the send has to wait, and SEND reports it: later answers,
    // deliveries and LASTSENT must all carry this one.
    if (!e.sentId) expect.fail(`SEND of ${init.name} through "${who}" refused with EAGAIN reported no message id`);
    this.recordSent(who, e.sentId, init);
    return;
  }
  throw new SetupError(`"${who}" was to be left waiting, but ${init.name} was delivered at once`);
});

Given('writing a message {string} through {string} has been refused with EALREADY', async function (this: KbusWorld, name: string, who: string) {
  try {
    await write(this, who, { name });
  } catch (e) {
    if (e instanceof KbusError && e.errno === 'EALREADY') return;
    throw new SetupError(`writing ${name} through ${who}: expected EALREADY, got ${errnoOf(e)}`);
  }
  throw new SetupError(`writing ${name} through ${who} was accepted, not refused with EALREADY`);
});

When('{string} writes, without sending, the message:', async function (this: KbusWorld, who: string, table: DataTable) {
  const init = messageFromTable(this, table.raw());
  await this.attempt(() => write(this, who, init));
});

When('{string} sends the waiting message again', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).send());
});

When('{string} discards the message it is waiting to send', async function (this: KbusWorld, who: string) {
  waitingId(this, who);
  await this.attempt(() => this.ksock(who).discard());
});

When('{string} sends the message, giving SEND at most {int} ms to return:', async function (this: KbusWorld, who: string, ms: number, table: DataTable) {
  const init = messageFromTable(this, table.raw());
  const k = this.ksock(who);
  await this.setup(`write ${init.name} through ${who}`, () => write(this, who, init));
  this.outcome = undefined;
  // A SEND that blocks stays pending; the scenario's end closes the Ksock under it.
  returnedInTime.set(this, await settlesWithin(() => this.attempt(() => k.send()), ms));
});

Then('SEND returned within the time allowed', function (this: KbusWorld) {
  const inTime = returnedInTime.get(this);
  if (inTime === undefined) throw new SetupError('no time-limited SEND was made');
  expect(inTime, 'SEND returned before its time ran out').to.equal(true);
});

Then('LASTSENT of {string} is still the id its waiting message was given', async function (this: KbusWorld, who: string) {
  const expected = waitingId(this, who);
  expect(formatId(await this.ksock(who).lastSent()), `LASTSENT of "${who}"`).to.equal(formatId(expected));
});

Then('SEND gave {string} the id its waiting message was given', function (this: KbusWorld, who: string) {
  const expected = waitingId(this, who);
  expect(formatId(this.succeededWith('SEND') as MessageId), `id SEND gave "${who}"`).to.equal(formatId(expected));
});
