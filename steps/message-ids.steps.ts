/**
 * Message ids as SEND, LASTSENT and readers see them, compared by serial arithmetic with ids
 * seen earlier in the scenario (never absolute, except on a fresh device), and Ksock ids.
 */

import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { MessageId, formatId } from '../wire/message';
import { quotedNames, resolveMessageId } from './values';
import { KbusWorld, SetupError } from './world';

function returnedId(world: KbusWorld): MessageId {
  return world.succeededWith('SEND') as MessageId;
}

/** The id of the send before the last one `who` made (the last one is the action under test). */
function previousId(world: KbusWorld, who: string): MessageId {
  const ids = world.sentIds.get(who) ?? [];
  if (ids.length < 2) throw new SetupError(`"${who}" has not sent a message before this one`);
  return ids[ids.length - 2];
}

const after = (id: MessageId, n: number): MessageId => ({ networkId: id.networkId, serialNum: (id.serialNum + n) >>> 0 });

function expectId(actual: MessageId, wanted: MessageId, what: string): void {
  expect(formatId(actual), what).to.equal(formatId(wanted));
}

Then('the id SEND returned to {string} has network id 0 and a non-zero serial number', function (this: KbusWorld, who: string) {
  const id = returnedId(this);
  expect(id.networkId, `network id SEND returned to "${who}"`).to.equal(0);
  expect(id.serialNum, `serial number SEND returned to "${who}"`).to.not.equal(0);
});

Then('LASTSENT of {string} is the id SEND returned', async function (this: KbusWorld, who: string) {
  expectId(await this.ksock(who).lastSent(), returnedId(this), `LASTSENT of "${who}"`);
});

Then(/^the id SEND returned to "([^"]+)" is (\d+) serial numbers? after its previous one$/, function (this: KbusWorld, who: string, n: string) {
  expectId(returnedId(this), after(previousId(this, who), Number(n)), `id SEND returned to "${who}"`);
});

Then(/^the id SEND returned to "([^"]+)" is (\[\d+:\d+\])$/, function (this: KbusWorld, who: string, id: string) {
  expectId(returnedId(this), resolveMessageId(this, id), `id SEND returned to "${who}"`);
});

Then(/^the id of the message "([^"]+)" read is (\d+) serial numbers? after (.+)$/, function (this: KbusWorld, who: string, n: string, base: string) {
  const m = this.messageReadBy(who);
  expectId(m.id, after(resolveMessageId(this, base), Number(n)), `id of ${m.name} read by "${who}"`);
});

Then('LASTSENT of {string} is still the id of its previous message', async function (this: KbusWorld, who: string) {
  expectId(await this.ksock(who).lastSent(), this.idSentBy(who), `LASTSENT of "${who}"`);
});

Then(/^LASTSENT of "([^"]+)" is (\d+) serial numbers? after its previous message$/, async function (this: KbusWorld, who: string, n: string) {
  const id = await this.ksock(who).lastSent();
  expectId(id, after(this.idSentBy(who), Number(n)), `LASTSENT of "${who}"`);
  // The failed send consumed this id: later comparisons count from it.
  this.recordSent(who, id);
});

Then(/^LASTSENT of "([^"]+)" is (\[\d+:\d+\])$/, async function (this: KbusWorld, who: string, id: string) {
  expectId(await this.ksock(who).lastSent(), resolveMessageId(this, id), `LASTSENT of "${who}"`);
});

Then(/^the next announcement "([^"]+)" sends is (\d+) serial numbers? after its previous one$/, async function (this: KbusWorld, who: string, n: string) {
  const before = this.idSentBy(who);
  const id = await this.sendMessage(who, { name: '$.Next' });
  expectId(id, after(before, Number(n)), `id of the next message "${who}" sent`);
});

Then(/^the Ksock ids of ((?:"[^"]+"(?:, | and )?)+) are non-zero and ascending$/, function (this: KbusWorld, list: string) {
  const ids = quotedNames(list).map((n) => this.idOf(n));
  ids.forEach((id, i) => {
    expect(id, `Ksock id of "${quotedNames(list)[i]}"`).to.not.equal(0);
    if (i > 0) expect(id, `Ksock id of "${quotedNames(list)[i]}" after ${ids[i - 1]}`).to.be.greaterThan(ids[i - 1]);
  });
});

Then(/^the Ksock ids of ((?:"[^"]+"(?:, | and )?)+) are ((?:\d+(?:, | and )?)+)$/, function (this: KbusWorld, list: string, values: string) {
  const wanted = [...values.matchAll(/\d+/g)].map((m) => Number(m[0]));
  expect(quotedNames(list).map((n) => this.idOf(n)), 'Ksock ids').to.deep.equal(wanted);
});

function refusedSend(world: KbusWorld) {
  const o = world.actionOutcome();
  if (o.ok) expect.fail('SEND succeeded where it was expected to be refused');
  return o.error;
}

Then('the refused SEND reported the id that LASTSENT of {string} gives', async function (this: KbusWorld, who: string) {
  const error = refusedSend(this);
  expect(error.sentId ? formatId(error.sentId) : 'nothing', `id the refused SEND wrote for "${who}"`).to.equal(
    formatId(await this.ksock(who).lastSent()),
  );
});

Then('the refused SEND reported no message id', function (this: KbusWorld) {
  const error = refusedSend(this);
  expect(error.sentId ? formatId(error.sentId) : 'nothing', 'id the refused SEND wrote into its argument').to.equal('nothing');
});

Given('the bus has given out every serial number up to {int}', async function (this: KbusWorld, serial: number) {
  const set = this.buses.setLastSerial;
  if (!set) throw new SetupError(`the ${this.adapter.name} adapter cannot set the serial counter`);
  await this.setup(`set the last serial number to ${serial}`, () => set.call(this.buses, serial));
});
