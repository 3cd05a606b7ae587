/**
 * Binding steps beyond the core vocabulary: names whose length is the point (empty, over the
 * limit), unusable argument pointers, and the message being read while bindings change.
 */

import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { IOCTL, IoctlName } from '../wire/ioctl';
import { expectFields } from './values';
import { KbusWorld, SetupError } from './world';

/** NEXTMSG lengths of the messages popped but not yet read, per scenario and Ksock. */
const popped = new WeakMap<KbusWorld, Map<string, number>>();

/** A name of exactly `length` bytes: `$.aaa…`, or with an empty word (`$..aa…`) when malformed. */
function nameOfLength(length: number, malformed: boolean): Buffer {
  const text = (malformed ? '$..' : '$.') + 'a'.repeat(length);
  return Buffer.from(text.slice(0, length), 'latin1');
}

const RAW_BINDING = {
  'unbinds as a listener': { replier: false, unbind: true },
  'unbinds as replier': { replier: true, unbind: true },
  'binds as replier': { replier: true, unbind: false },
} as const;
type RawBinding = keyof typeof RAW_BINDING;

// Listener BINDs of such names are in names.steps.ts.
When(
  /^"([^"]+)" (unbinds as a listener|unbinds as replier|binds as replier) (?:from|to) a (valid|malformed) name of (\d+) bytes$/,
  async function (this: KbusWorld, who: string, op: RawBinding, form: string, length: string) {
    const name = nameOfLength(Number(length), form === 'malformed');
    const { replier, unbind } = RAW_BINDING[op];
    await this.attempt(() => this.ksock(who).bindRaw(name, name.length, replier, unbind));
  },
);

When(
  /^"([^"]+)" (unbinds as a listener|unbinds as replier|binds as replier) with a name_len of (\d+)$/,
  async function (this: KbusWorld, who: string, op: RawBinding, nameLen: string) {
    const { replier, unbind } = RAW_BINDING[op];
    await this.attempt(() => this.ksock(who).bindRaw(Buffer.alloc(Number(nameLen)), Number(nameLen), replier, unbind));
  },
);

When('{string} calls {word} with an unusable argument pointer', async function (this: KbusWorld, who: string, ioctl: string) {
  const k = this.ksock(who);
  if (!k.ioctlWithBadPointer) throw new SetupError(`the ${this.adapter.name} adapter has no ioctlWithBadPointer`);
  const request = IOCTL[this.pointerSize][ioctl as IoctlName];
  if (request === undefined) throw new SetupError(`no ioctl named ${ioctl}`);
  await this.attempt(() => k.ioctlWithBadPointer!(request));
});

Given('{string} has popped the next message without reading it', async function (this: KbusWorld, who: string) {
  const length = await this.setup(`NEXTMSG on ${who}`, () => this.ksock(who).nextMsg());
  if (length === 0) throw new SetupError(`"${who}" had no message to pop`);
  const lengths = popped.get(this) ?? new Map<string, number>();
  lengths.set(who, length);
  popped.set(this, lengths);
});

Then('{string} can still read all of its current message, which has:', async function (this: KbusWorld, who: string, table: DataTable) {
  const length = popped.get(this)?.get(who);
  if (length === undefined) throw new SetupError(`"${who}" has not popped a message`);
  const m = await this.readCurrent(who, length);
  expectFields(this, m, table.raw(), who);
});
