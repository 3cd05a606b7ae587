/** Steps for the answers KBUS gives in a replier's place. */

import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { formatId } from '../wire/message';
import { resolveMessageId } from './values';
import { KbusWorld } from './world';

Then('the message {string} read last has a KBUS id newer than {string}', function (this: KbusWorld, who: string, than: string) {
  const m = this.messageReadBy(who);
  const earlier = resolveMessageId(this, than);
  expect(m.id.networkId, `network id of ${formatId(m.id)}`).to.equal(0);
  expect(m.id.serialNum, `serial of ${formatId(m.id)}, after ${than} ${formatId(earlier)}`).to.be.greaterThan(earlier.serialNum);
});
