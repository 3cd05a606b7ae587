/**
 * Steps about requests and their replies: which replier a request reached, what a refused
 * send did to LASTSENT, the replies a replier still owes, many requests at once, and a request
 * written in two parts around other traffic.
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { FLAG } from '../wire/constants';
import { KbusError, errnoOf } from '../wire/errno';
import { encodeEntire, formatId, sameId } from '../wire/message';
import { quotedNames, replyInit } from './values';
import { KbusWorld, SetupError } from './world';

/** The rest of a half-written request, per scenario and Ksock, until it is written. */
const halfWritten = new WeakMap<KbusWorld, Map<string, { name: string; rest: Buffer }>>();

const NO_ID = { networkId: 0, serialNum: 0 };

Then(
  /^the request "([^"]+)" reaches only "([^"]+)" of the repliers ((?:"[^"]+"(?:, | and )?)+)$/,
  async function (this: KbusWorld, name: string, chosen: string, list: string) {
    for (const replier of quotedNames(list)) {
      const m = await this.readNext(replier);
      if (replier !== chosen) {
        expect(m?.name, `"${replier}" should not have received the request`).to.equal(undefined);
        continue;
      }
      expect(m?.name, `"${replier}" should have received the request`).to.equal(name);
      expect(m!.flags & FLAG.WANT_YOU_TO_REPLY, `WANT_YOU_TO_REPLY in the copy "${replier}" read`).to.equal(FLAG.WANT_YOU_TO_REPLY);
    }
  },
);

Then('the refused message of {string} used up a message id', async function (this: KbusWorld, who: string) {
  const now = await this.ksock(who).lastSent();
  expect(now.networkId, `network id of LASTSENT ${formatId(now)}`).to.equal(0);
  const given = [...this.sentIds.values()].flat().filter((id) => id.networkId === 0);
  if (given.length === 0) {
    // Nothing of this scenario's numbered yet, and the device need not be fresh: the id can only be new.
    const before = this.lastSent.get(who) ?? NO_ID;
    expect(now.serialNum, `serial of LASTSENT ${formatId(now)}, after ${formatId(before)} sent before`).to.be.greaterThan(before.serialNum);
    return;
  }
  // The serial after the newest one any Ksock of the scenario was given: nothing else was sent between.
  const newest = Math.max(...given.map((id) => id.serialNum));
  expect(formatId(now), `LASTSENT of "${who}", after [0:${newest}] was the newest id given out`).to.equal(formatId({ networkId: 0, serialNum: newest + 1 }));
});

Then('the refused message of {string} was given no message id', async function (this: KbusWorld, who: string) {
  const before = this.lastSent.get(who) ?? NO_ID;
  const now = await this.ksock(who).lastSent();
  expect(sameId(now, before), `LASTSENT is ${formatId(now)}, was ${formatId(before)}`).to.equal(true);
});

Then('{string} still owes {int} reply/replies', async function (this: KbusWorld, who: string, count: number) {
  expect(await this.ksock(who).unrepliedTo(), `UNREPLIEDTO of "${who}"`).to.equal(count);
});

Given('{string} has sent {int} requests {string}', async function (this: KbusWorld, who: string, count: number, name: string) {
  for (let i = 0; i < count; i++) {
    await this.setup(`send request ${i + 1} of ${count} from ${who}`, () => this.sendMessage(who, { name, flags: FLAG.WANT_A_REPLY }));
  }
});

When('{string} answers every request in its queue', async function (this: KbusWorld, who: string) {
  await this.attempt(async () => {
    let answered = 0;
    for (let m = await this.readNext(who); m; m = await this.readNext(who)) {
      // Every copy in a replier's queue is one it is asked to answer: one that is not is no skip but a failure.
      if (!(m.flags & FLAG.WANT_YOU_TO_REPLY)) expect.fail(`"${who}" read ${m.name} without WANT_YOU_TO_REPLY after answering ${answered}`);
      await this.sendMessage(who, replyInit(m));
      answered++;
    }
    return answered;
  });
});

Then('{string} receives a reply to each of its {int} requests, in order', async function (this: KbusWorld, who: string, count: number) {
  const requests = (this.sentIds.get(who) ?? []).slice(-count);
  if (requests.length !== count) throw new SetupError(`"${who}" sent ${requests.length} requests, not ${count}`);
  for (const [i, request] of requests.entries()) {
    const m = await this.readNext(who);
    expect(m, `reply ${i + 1} of ${count}: queue of "${who}" is empty`).to.not.equal(null);
    expect(formatId(m!.inReplyTo), `in_reply_to of reply ${i + 1}`).to.equal(formatId(request));
  }
});

Given('{string} has been refused with {word} when sending a request {string}', async function (this: KbusWorld, who: string, errno: string, name: string) {
  try {
    await this.sendMessage(who, { name, flags: FLAG.WANT_A_REPLY });
  } catch (e) {
    if (e instanceof KbusError && e.errno === errno) return;
    throw new SetupError(`request ${name} from ${who} failed with ${errnoOf(e)}, not ${errno}`);
  }
  throw new SetupError(`request ${name} from ${who} was sent, not refused with ${errno}`);
});

When('{string} sends what it has written again', async function (this: KbusWorld, who: string) {
  await this.attempt(() => this.ksock(who).send());
});

Given('{string} has written the first {int} bytes of a request {string}', async function (this: KbusWorld, who: string, count: number, name: string) {
  const bytes = encodeEntire({ name, flags: FLAG.WANT_A_REPLY }, this.pointerSize);
  if (count >= bytes.length) throw new SetupError(`a request ${name} is only ${bytes.length} bytes long`);
  await this.setup(`write ${count} bytes from ${who}`, () => this.ksock(who).write(bytes.subarray(0, count)));
  const pending = halfWritten.get(this) ?? new Map<string, { name: string; rest: Buffer }>();
  pending.set(who, { name, rest: bytes.subarray(count) });
  halfWritten.set(this, pending);
});

When('{string} writes the rest of that request and sends it', async function (this: KbusWorld, who: string) {
  const pending = halfWritten.get(this)?.get(who);
  if (!pending) throw new SetupError(`"${who}" has no half-written request`);
  halfWritten.get(this)!.delete(who);
  await this.attempt(async () => {
    await this.ksock(who).write(pending.rest);
    return this.sendWritten(who, { name: pending.name, flags: FLAG.WANT_A_REPLY });
  });
});
