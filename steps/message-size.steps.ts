/**
 * MAXMSGSIZE: querying and setting the bus's size limit, with values named relative to the
 * build's limits (`the absolute maximum + 1`), which the run is told (see build-limits).
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { entireLength } from '../wire/message';
import { nameBytes } from '../wire/names';
import { buildLimits } from './build-limits';
import { KbusWorld, SetupError } from './world';

/** A size named in a scenario: a number, or a limit of the build, optionally `+ n`. */
function sizeValue(world: KbusWorld, text: string): number {
  const m = /^(\d+)$|^the (?:build's )?(default|absolute maximum)(?: \+ (\d+))?$/.exec(text.trim());
  if (!m) throw new SetupError(`cannot read "${text}" as a message size`);
  if (m[1]) return Number(m[1]);
  const limits = buildLimits(world);
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
  const size = sizeValue(this, value);
  await this.attempt(() => this.ksock(who).maxMsgSize(size));
});

async function setLimit(world: KbusWorld, who: string, size: number): Promise<void> {
  const set = await world.setup(`MAXMSGSIZE(${size}) on ${who}`, () => world.ksock(who).maxMsgSize(size));
  if (set !== size) throw new SetupError(`MAXMSGSIZE(${size}) on ${who} gave ${set}`);
}

Given(/^"([^"]+)" has set MAXMSGSIZE to (\d+|the absolute maximum)$/, async function (this: KbusWorld, who: string, size: string) {
  await setLimit(this, who, sizeValue(this, size));
});

Given(
  '{string} has set MAXMSGSIZE to the entire length of a message {string} with {int} data bytes',
  async function (this: KbusWorld, who: string, name: string, data: number) {
    await setLimit(this, who, entireLength(nameBytes(name).length, data, this.pointerSize));
  },
);

/** Raises the bus's limit, if it must, to fit a message of `needed` bytes; skips where the device cannot. */
async function raiseLimitToFit(world: KbusWorld, who: string, needed: number): Promise<'skipped' | undefined> {
  const { absoluteMaxMessageSize } = await world.setup('device limits', () => world.adapter.limits());
  if (needed > absoluteMaxMessageSize) {
    world.log(`skipped: a ${needed}-byte message exceeds this device's absolute MAXMSGSIZE of ${absoluteMaxMessageSize}`);
    return 'skipped';
  }
  const current = await world.setup(`MAXMSGSIZE(0) on ${who}`, () => world.ksock(who).maxMsgSize(0));
  if (current < needed) await setLimit(world, who, needed);
  return undefined;
}

Given('{string} has raised the size limit to fit {string} with {int} data bytes', async function (this: KbusWorld, who: string, name: string, data: number) {
  return raiseLimitToFit(this, who, entireLength(nameBytes(name).length, data, this.pointerSize));
});

Given('{string} has raised the size limit to fit a name of {int} bytes with {int} data bytes', async function (this: KbusWorld, who: string, nameLen: number, data: number) {
  return raiseLimitToFit(this, who, entireLength(nameLen, data, this.pointerSize));
});

Then(/^the size limit reported is (.+)$/, async function (this: KbusWorld, value: string) {
  const said = this.outcomeSaid();
  expect(said, 'MAXMSGSIZE returned').to.equal(sizeValue(this, value));
});

Then(/^MAXMSGSIZE through "([^"]+)" is (?:still|now) (.+)$/, async function (this: KbusWorld, who: string, value: string) {
  const wanted = sizeValue(this, value);
  expect(await this.ksock(who).maxMsgSize(0), `MAXMSGSIZE(0) through "${who}"`).to.equal(wanted);
});
