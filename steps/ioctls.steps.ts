/**
 * Ioctls every area leans on: queue limits, the replier-bind reporting switch, the REPLIER
 * query, and the value an ioctl returned. Area-specific ioctl steps live with their area.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { Ksock } from '../adapters/adapter';
import { SWITCH_QUERY } from '../wire/constants';
import { parseU32 } from './values';
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

Then('it returns {int}', function (this: KbusWorld, value: number) {
  if (!this.outcome) throw new SetupError('no action was taken');
  expect(this.outcome.ok ? this.outcome.value : this.outcome.error.errno, 'returned').to.equal(value);
});

/** The REPLIER query may be asked through any Ksock of the bus; prefer the one named. */
function anyKsockName(world: KbusWorld, preferred?: string): string {
  const open = world.openKsockNames();
  if (preferred && open.includes(preferred)) return preferred;
  if (open.length === 0) throw new SetupError('no open Ksock to ask REPLIER through');
  return open[0];
}

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
