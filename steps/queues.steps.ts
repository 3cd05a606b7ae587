/** Steps for queue limits (MAXMSGS) beyond the setup step every area shares. */

import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { KbusWorld } from './world';

When('{string} sets its queue limit to {int}', async function (this: KbusWorld, who: string, limit: number) {
  await this.attempt(() => this.ksock(who).maxMsgs(limit));
});

Then('the queue limit of {string} is {int}', async function (this: KbusWorld, who: string, limit: number) {
  expect(await this.ksock(who).maxMsgs(0), `MAXMSGS(0) of "${who}"`).to.equal(limit);
});
