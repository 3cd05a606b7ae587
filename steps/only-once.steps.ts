/** Steps for the per-Ksock only-once setting (MSGONLYONCE). */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { SWITCH_QUERY } from '../wire/constants';
import { parseU32 } from './values';
import { KbusWorld } from './world';

Given(/^"([^"]+)" has switched only-once delivery (on|off)$/, async function (this: KbusWorld, who: string, state: string) {
  const value = state === 'on' ? 1 : 0;
  await this.setup(`MSGONLYONCE(${value}) on ${who}`, () => this.ksock(who).msgOnlyOnce(value));
});

When('{string} sets only-once delivery with argument {word}', async function (this: KbusWorld, who: string, value: string) {
  await this.attempt(() => this.ksock(who).msgOnlyOnce(parseU32(value)));
});

Then(/^only-once delivery is (on|off) for "([^"]+)"$/, async function (this: KbusWorld, state: string, who: string) {
  expect(await this.ksock(who).msgOnlyOnce(SWITCH_QUERY), `MSGONLYONCE query on "${who}"`).to.equal(state === 'on' ? 1 : 0);
});

Then('successive only-once calls on {string} return:', async function (this: KbusWorld, who: string, table: DataTable) {
  for (const { argument: arg, returns } of table.hashes()) {
    expect(await this.ksock(who).msgOnlyOnce(parseU32(arg)), `MSGONLYONCE(${arg}) on "${who}"`).to.equal(Number(returns));
  }
});
