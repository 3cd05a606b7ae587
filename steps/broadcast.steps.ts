/**
 * Delivery to many: counting copies, the same order seen by every listener, fan-out to a crowd
 * of listening Ksocks.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { MessageId, formatId } from '../wire/message';
import { quotedNames, readAll, resolveData } from './values';
import { KbusWorld, SetupError } from './world';

Then('the number of {string} messages {string} receives is {int}', async function (this: KbusWorld, name: string, who: string, count: number) {
  const got = await readAll(this, who);
  expect(got.map((m) => m.name), `messages "${who}" received`).to.deep.equal(Array(count).fill(name));
});

Then('{string} receives exactly {int} copies of {string} carrying the same message id', async function (this: KbusWorld, who: string, count: number, name: string) {
  const got = await readAll(this, who);
  expect(got.map((m) => m.name), `messages "${who}" received`).to.deep.equal(Array(count).fill(name));
  expect(new Set(got.map((m) => formatId(m.id))).size, `distinct ids among the copies "${who}" received`).to.equal(1);
});

When('these announcements are sent one after another:', async function (this: KbusWorld, table: DataTable) {
  await this.attempt(async () => {
    const sent = [];
    for (const { sender, name } of table.hashes()) sent.push({ name, id: await this.sendMessage(sender, { name }) });
    return sent;
  });
});

Then(/^((?:"[^"]+"(?:, | and )?)+) each receive those announcements in the order they were sent$/, async function (this: KbusWorld, list: string) {
  if (!this.outcome?.ok) throw new SetupError('the announcements were not all sent');
  const sent = this.outcome.value as { name: string; id: MessageId }[];
  const wanted = sent.map((s) => `${s.name} ${formatId(s.id)}`);
  for (const who of quotedNames(list)) {
    const got = (await readAll(this, who)).map((m) => `${m.name} ${formatId(m.id)}`);
    expect(got, `messages "${who}" received, in order`).to.deep.equal(wanted);
  }
});

Then('the message ids {string} receives ascend', async function (this: KbusWorld, who: string) {
  const got = await readAll(this, who);
  expect(got.length, `messages "${who}" received`).to.be.greaterThan(1);
  for (let i = 1; i < got.length; i++) {
    expect(got[i].id.serialNum, `serial of ${got[i].name} after ${formatId(got[i - 1].id)}`).to.be.greaterThan(got[i - 1].id.serialNum);
  }
});

const crowdName = (i: number) => `listener${i}`;

Given('{int} Ksocks each listening to {string}', async function (this: KbusWorld, count: number, name: string) {
  for (let i = 1; i <= count; i++) {
    const k = await this.open(crowdName(i));
    await this.setup(`bind ${crowdName(i)} as listener to ${name}`, () => k.bind(name, false));
  }
});

Then(/^each of the (\d+) listening Ksocks receives "([^"]+)" with data (.+)$/, async function (this: KbusWorld, count: string, name: string, data: string) {
  const wanted = resolveData(data).toString('hex');
  for (let i = 1; i <= Number(count); i++) {
    const m = await this.readNext(crowdName(i));
    expect(m?.name, `message ${crowdName(i)} received`).to.equal(name);
    expect(m!.data.toString('hex'), `data ${crowdName(i)} received`).to.equal(wanted);
  }
});
