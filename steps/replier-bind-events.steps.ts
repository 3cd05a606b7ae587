/**
 * Replier bind events: reading `$.KBUS.ReplierBindEvent` messages and their payload, replier
 * bindings refused for want of room to announce them, and many replier bindings at once.
 */

import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { KBUS_NAME } from '../wire/constants';
import { Message, decodeReplierBindEvent } from '../wire/message';
import { nameBytes } from '../wire/names';
import { errnoOf } from '../wire/errno';
import { KbusWorld, SetupError } from './world';

async function readEvent(world: KbusWorld, who: string): Promise<Message> {
  const m = await world.readNext(who);
  expect(m, `"${who}" expected a replier bind event but its queue is empty`).to.not.equal(null);
  expect(m!.name, `"${who}" received a different message`).to.equal(KBUS_NAME.REPLIER_BIND_EVENT);
  return m!;
}

function describeEvent(world: KbusWorld, m: Message): string {
  const e = decodeReplierBindEvent(m.data);
  return `${world.nameOfId(e.binder) ?? e.binder} ${e.isBind ? 'bound' : 'unbound'} ${e.name}`;
}

Then(
  /^"([^"]+)" receives a replier bind event saying "([^"]+)" (bound|unbound) "([^"]+)"$/,
  async function (this: KbusWorld, who: string, binder: string, what: string, name: string) {
    const m = await readEvent(this, who);
    expect(describeEvent(this, m), `the event "${who}" read`).to.equal(`${binder} ${what} ${name}`);
  },
);

Then(
  /^"([^"]+)" receives (\d+) replier bind events saying "([^"]+)" unbound a name$/,
  async function (this: KbusWorld, who: string, count: string, binder: string) {
    for (let i = 1; i <= Number(count); i++) {
      const e = decodeReplierBindEvent((await readEvent(this, who)).data);
      expect({ isBind: e.isBind, binder: e.binder }, `event ${i} of ${count} that "${who}" read (${e.name})`).to.deep.equal({
        isBind: false,
        binder: this.idOf(binder),
      });
    }
  },
);

Then(
  /^the replier bind event "([^"]+)" read is (\d+) bytes: is_bind (\d), binder "([^"]+)", name length (\d+), then "([^"]+)" and zeros$/,
  function (this: KbusWorld, who: string, length: string, isBind: string, binder: string, nameLen: string, name: string) {
    const m = this.messageReadBy(who);
    expect(m.name, `the message "${who}" read`).to.equal(KBUS_NAME.REPLIER_BIND_EVENT);
    const data = m.data;
    expect(data.length, 'data_len of the event').to.equal(Number(length));
    expect(data.readUInt32LE(0), 'is_bind (bytes 0-3)').to.equal(Number(isBind));
    expect(data.readUInt32LE(4), 'binder (bytes 4-7)').to.equal(this.idOf(binder));
    expect(data.readUInt32LE(8), 'name length (bytes 8-11)').to.equal(Number(nameLen));
    const expected = Buffer.alloc(data.length - 12);
    nameBytes(name).copy(expected);
    expect(data.subarray(12).toString('hex'), 'name and zero padding (from byte 12)').to.equal(expected.toString('hex'));
  },
);

Given('{string} has been refused with {word} when binding as replier to {string}', async function (this: KbusWorld, who: string, errno: string, name: string) {
  const outcome = await this.ksock(who).bind(name, true).then(
    () => 'success',
    (e: unknown) => errnoOf(e),
  );
  if (outcome !== errno) throw new SetupError(`binding ${who} as replier to ${name} was to fail with ${errno}, but gave ${outcome}`);
});

Given(
  /^"([^"]+)" is the replier for the (\d+) names "([^"]+?)1" to "([^"]+?)(\d+)"$/,
  async function (this: KbusWorld, who: string, count: string, prefix: string, lastPrefix: string, last: string) {
    if (prefix !== lastPrefix || last !== count) throw new SetupError(`the names should run from ${prefix}1 to ${prefix}${count}`);
    const k = this.ksock(who);
    for (let i = 1; i <= Number(count); i++) {
      await this.setup(`bind ${who} as replier to ${prefix}${i}`, () => k.bind(`${prefix}${i}`, true));
    }
  },
);
