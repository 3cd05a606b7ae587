/**
 * The core vocabulary shared by every area: opening and closing Ksocks, binding, sending
 * announcements, requests and replies, reading messages, and the outcome of an action.
 * `Given` steps set up (an error there is a broken scenario); `When` steps record their outcome;
 * `Then` steps assert.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { FLAG } from '../wire/constants';
import { Message, MessageInit } from '../wire/message';
import { expectFields, messageFromTable, quotedNames, replyInit, resolveData } from './values';
import { KbusWorld, SetupError } from './world';

// ---- Ksocks ------------------------------------------------------------------------------

Given('a Ksock {string}', async function (this: KbusWorld, name: string) {
  await this.open(name, 'rw');
});

Given('a read-only Ksock {string}', async function (this: KbusWorld, name: string) {
  await this.open(name, 'r');
});

Given(/^the Ksocks ((?:"[^"]+"(?:, | and )?)+)$/, async function (this: KbusWorld, list: string) {
  for (const name of quotedNames(list)) await this.open(name, 'rw');
});

Given('a Ksock {string} on a second bus', async function (this: KbusWorld, name: string) {
  await this.open(name, 'rw', 'second');
});

Given('{string} has been closed', async function (this: KbusWorld, name: string) {
  await this.setup(`close ${name}`, () => this.close(name));
});

When('{string} is closed', async function (this: KbusWorld, name: string) {
  await this.attempt(() => this.close(name));
});

// ---- Binding -------------------------------------------------------------------------------

Given('{string} listens to {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`bind ${who} as listener to ${name}`, () => this.ksock(who).bind(name, false));
});

Given(/^"([^"]+)" listens to "([^"]+)" (\d+) times$/, async function (this: KbusWorld, who: string, name: string, times: string) {
  for (let i = 0; i < Number(times); i++) {
    await this.setup(`bind ${who} as listener to ${name}`, () => this.ksock(who).bind(name, false));
  }
});

Given('{string} is the replier for {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`bind ${who} as replier to ${name}`, () => this.ksock(who).bind(name, true));
});

When('{string} binds as a listener to {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).bind(name, false));
});

When('{string} binds as replier to {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).bind(name, true));
});

When('{string} unbinds as a listener from {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).unbind(name, false));
});

When('{string} unbinds as replier from {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).unbind(name, true));
});

Given('{string} has unbound as replier from {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`unbind ${who} as replier from ${name}`, () => this.ksock(who).unbind(name, true));
});

Given('{string} has unbound as a listener from {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`unbind ${who} as listener from ${name}`, () => this.ksock(who).unbind(name, false));
});

// ---- Sending -------------------------------------------------------------------------------

function replyTo(world: KbusWorld, who: string): MessageInit {
  const request = world.lastRead.get(who);
  if (!request) throw new SetupError(`"${who}" has not read a request to reply to`);
  return replyInit(request);
}

Given('{string} has sent an announcement {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`send announcement ${name} from ${who}`, () => this.sendMessage(who, { name }));
});

Given(/^"([^"]+)" has sent announcements ((?:"[^"]+"(?:, | and )?)+)$/, async function (this: KbusWorld, who: string, list: string) {
  for (const name of quotedNames(list)) await this.setup(`send announcement ${name} from ${who}`, () => this.sendMessage(who, { name }));
});

When('{string} sends an announcement {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.sendMessage(who, { name }));
});

When('{string} sends an announcement {string} with data {string}', async function (this: KbusWorld, who: string, name: string, data: string) {
  await this.attempt(() => this.sendMessage(who, { name, data: resolveData(`"${data}"`) }));
});

Given('{string} has sent a request {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`send request ${name} from ${who}`, () => this.sendMessage(who, { name, flags: FLAG.WANT_A_REPLY }));
});

When('{string} sends a request {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.sendMessage(who, { name, flags: FLAG.WANT_A_REPLY }));
});

Given('{string} has sent the message:', async function (this: KbusWorld, who: string, table: DataTable) {
  const init = messageFromTable(this, table.raw());
  await this.setup(`send ${init.name} from ${who}`, () => this.sendMessage(who, init));
});

When('{string} sends the message:', async function (this: KbusWorld, who: string, table: DataTable) {
  const init = messageFromTable(this, table.raw());
  await this.attempt(() => this.sendMessage(who, init));
});

Given('{string} has replied to the request it read', async function (this: KbusWorld, who: string) {
  const init = replyTo(this, who);
  await this.setup(`reply from ${who}`, () => this.sendMessage(who, init));
});

When('{string} replies to the request it read', async function (this: KbusWorld, who: string) {
  const init = replyTo(this, who);
  await this.attempt(() => this.sendMessage(who, init));
});

// ---- Reading -------------------------------------------------------------------------------

async function expectNext(world: KbusWorld, who: string, name: string): Promise<Message> {
  const m = await world.readNext(who);
  expect(m, `"${who}" expected to receive ${name} but its queue is empty`).to.not.equal(null);
  expect(m!.name, `"${who}" received a different message first`).to.equal(name);
  return m!;
}

Given('{string} has read the next message', async function (this: KbusWorld, who: string) {
  const m = await this.setup(`read next message for ${who}`, () => this.readNext(who));
  if (!m) throw new SetupError(`"${who}" had no message to read`);
});

When('{string} reads the next message', async function (this: KbusWorld, who: string) {
  const o = await this.attempt(() => this.readNext(who));
  // A refused read is an outcome for the Then steps; bytes that are no message are a broken promise now.
  if (!o.ok && o.error.operation === 'decode') expect.fail(`"${who}" read bytes that are not a message: ${o.error.message}`);
});

Then('{string} receives {string}', async function (this: KbusWorld, who: string, name: string) {
  await expectNext(this, who, name);
});

Then('{string} receives {string} with:', async function (this: KbusWorld, who: string, name: string, table: DataTable) {
  const m = await expectNext(this, who, name);
  expectFields(this, m, table.raw(), who);
});

Then('the message {string} read last has:', function (this: KbusWorld, who: string, table: DataTable) {
  expectFields(this, this.messageReadBy(who), table.raw(), who);
});

Then('{string} receives nothing', async function (this: KbusWorld, who: string) {
  const m = await this.readNext(who);
  expect(m, `"${who}" expected an empty queue but received ${m?.name}`).to.equal(null);
});

Then(/^"([^"]+)" receives, in order:$/, async function (this: KbusWorld, who: string, table: DataTable) {
  for (const [name] of table.raw()) await expectNext(this, who, name);
});

Then(/^"([^"]+)" has (\d+) messages? queued$/, async function (this: KbusWorld, who: string, count: string) {
  expect(await this.ksock(who).numMsgs(), `NUMMSGS of "${who}"`).to.equal(Number(count));
});

// ---- Outcome of the last action ------------------------------------------------------------

Then('it succeeds', function (this: KbusWorld) {
  const o = this.actionOutcome();
  expect(o.ok ? 'success' : o.error.errno, 'outcome').to.equal('success');
});

Then('it fails with {word}', function (this: KbusWorld, errno: string) {
  const o = this.actionOutcome();
  expect(o.ok ? 'success' : o.error.errno, 'outcome').to.equal(errno);
});
