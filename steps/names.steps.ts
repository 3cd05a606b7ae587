/**
 * Names as bytes: binding to and sending under names that hold any byte (written with `\xNN`
 * escapes in scenarios), names of a given length, and BIND with an explicit name_len.
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { nameFromEscapes } from './message-bytes';
import { KbusWorld } from './world';

When('{string} binds as a listener to the bytes {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.ksock(who).bind(nameFromEscapes(name), false));
});

Given('{string} listens to the bytes {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.setup(`bind ${who} as listener to ${name}`, () => this.ksock(who).bind(nameFromEscapes(name), false));
});

When('{string} binds as a listener with a name_len of {int}', async function (this: KbusWorld, who: string, nameLen: number) {
  await this.attempt(() => this.ksock(who).bindRaw(Buffer.alloc(nameLen), nameLen, false, false));
});

When('{string} sends an announcement named by the bytes {string}', async function (this: KbusWorld, who: string, name: string) {
  await this.attempt(() => this.sendMessage(who, { name: nameFromEscapes(name) }));
});

Then('{string} receives the message named by the bytes {string}', async function (this: KbusWorld, who: string, name: string) {
  const m = await this.readNext(who);
  expect(m, `"${who}" expected a message but its queue is empty`).to.not.equal(null);
  const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
  expect(hex(m!.name), `bytes of the name "${who}" received`).to.equal(hex(nameFromEscapes(name)));
});

/** `$.` and words of ten letters or digits, the last one cut to make `length` bytes. */
function validNameOf(length: number): string {
  let name = '$.';
  while (name.length < length) name += name.length % 11 === 1 ? '.' : String.fromCharCode(0x61 + (name.length % 26));
  return name.endsWith('.') ? `${name.slice(0, -1)}z` : name;
}

Given('{string} listens to the valid name of {int} bytes', async function (this: KbusWorld, who: string, length: number) {
  await this.setup(`bind ${who} as listener to a ${length}-byte name`, () => this.ksock(who).bind(validNameOf(length), false));
});

When('{string} sends an announcement with the valid name of {int} bytes', async function (this: KbusWorld, who: string, length: number) {
  await this.attempt(() => this.sendMessage(who, { name: validNameOf(length) }));
});

Then('{string} receives the message with the valid name of {int} bytes', async function (this: KbusWorld, who: string, length: number) {
  const m = await this.readNext(who);
  expect(m?.name, `name of the message "${who}" received`).to.equal(validNameOf(length));
});

When(/^"([^"]+)" binds as a listener to a (valid|malformed) name of (\d+) bytes$/, async function (this: KbusWorld, who: string, kind: string, length: string) {
  const valid = validNameOf(Number(length));
  // A hyphen is never allowed in a name, so this one is long and malformed.
  const name = kind === 'valid' ? valid : `${valid.slice(0, 2)}-${valid.slice(3)}`;
  await this.attempt(() => this.ksock(who).bind(name, false));
});
