/**
 * MAXMSGSIZE: querying and setting the bus's size limit, with values named relative to the
 * limits the device reports (`the absolute maximum + 1`), never assumed.
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { LIMITS } from '../wire/constants';
import { entireLength } from '../wire/message';
import { nameBytes } from '../wire/names';
import { KbusWorld, SetupError } from './world';

/** A size named in a scenario: a number, or a limit of the device, optionally `+ n`. */
async function sizeValue(world: KbusWorld, text: string): Promise<number> {
  const m = /^(\d+)$|^the (?:device's )?(default|absolute maximum)(?: \+ (\d+))?$/.exec(text.trim());
  if (!m) throw new SetupError(`cannot read "${text}" as a message size`);
  if (m[1]) return Number(m[1]);
  const limits = await world.setup('device limits', () => world.adapter.limits());
  const base = m[2] === 'default' ? limits.defaultMaxMessageSize : limits.absoluteMaxMessageSize;
  return base + Number(m[3] ?? 0);
}

When('{string} queries MAXMSGSIZE', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).maxMsgSize(0));
});

When('{string} queries the absolute maximum MAXMSGSIZE', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).maxMsgSize(1));
});

When(/^"([^"]+)" sets MAXMSGSIZE to (.+)$/, async function (this: KbusWorld, who: string, value: string) {
  const size = await sizeValue(this, value);
  await this.attempt(() => this.ksock(who).maxMsgSize(size));
});

async function setLimit(world: KbusWorld, who: string, size: number): Promise<void> {
  const set = await world.setup(`MAXMSGSIZE(${size}) on ${who}`, () => world.ksock(who).maxMsgSize(size));
  if (set !== size) throw new SetupError(`MAXMSGSIZE(${size}) on ${who} gave ${set}`);
}

Given(/^"([^"]+)" has set MAXMSGSIZE to (\d+)$/, async function (this: KbusWorld, who: string, size: string) {
  await setLimit(this, who, Number(size));
});

Given(
  '{string} has set MAXMSGSIZE to the entire length of a message {string} with {int} data bytes',
  async function (this: KbusWorld, who: string, name: string, data: number) {
    await setLimit(this, who, entireLength(nameBytes(name).length, data, this.pointerSize));
  },
);

Given('{string} has raised the size limit to fit {string} with {int} data bytes', async function (this: KbusWorld, who: string, name: string, data: number) {
  const needed = entireLength(nameBytes(name).length, data, this.pointerSize);
  const { absoluteMaxMessageSize } = await this.setup('device limits', () => this.adapter.limits());
  if (needed > absoluteMaxMessageSize) {
    this.log(`skipped: a ${needed}-byte message exceeds this device's absolute MAXMSGSIZE of ${absoluteMaxMessageSize}`);
    return 'skipped';
  }
  const current = await this.setup(`MAXMSGSIZE(0) on ${who}`, () => this.ksock(who).maxMsgSize(0));
  if (current < needed) await setLimit(this, who, needed);
  return undefined;
});

Then(/^the size limit reported is (.+)$/, async function (this: KbusWorld, value: string) {
  const said = this.outcomeSaid();
  expect(said, 'MAXMSGSIZE returned').to.equal(await sizeValue(this, value));
});

Then(/^MAXMSGSIZE through "([^"]+)" is (?:still|now) (.+)$/, async function (this: KbusWorld, who: string, value: string) {
  const wanted = await sizeValue(this, value);
  expect(await this.ksock(who).maxMsgSize(0), `MAXMSGSIZE(0) through "${who}"`).to.equal(wanted);
});

Then("the device's default size limit lies between 100 bytes and its absolute maximum", async function (this: KbusWorld) {
  const { defaultMaxMessageSize, absoluteMaxMessageSize } = await this.adapter.limits();
  expect(defaultMaxMessageSize, 'default MAXMSGSIZE').to.be.within(LIMITS.MIN_SETTABLE_MAX_MSG_SIZE, absoluteMaxMessageSize);
});
