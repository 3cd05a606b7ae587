/**
 * Ioctls every area leans on: queue limits, the replier-bind reporting switch, the REPLIER
 * query, and the value an ioctl returned. Area-specific ioctl steps live with their area.
 */

import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { KbusWorld, SetupError } from './world';

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
