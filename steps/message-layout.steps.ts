/**
 * Checks on the bytes of a message as read: the entire form, header size, alignment holes,
 * padding; and changing the buffers of a pointy message between write and SEND.
 */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { END_GUARD } from '../wire/constants';
import { encodeEntire, headerSize, paddedNameLength, paddingRanges } from '../wire/message';
import { nameBytes } from '../wire/names';
import { scratch } from './message-bytes';
import { resolveData } from './values';
import { KbusWorld, SetupError } from './world';

function lastBytes(world: KbusWorld, who: string): { bytes: Buffer; nameLen: number; dataLen: number } {
  const bytes = world.lastReadBytes.get(who);
  const m = world.lastRead.get(who);
  if (!bytes || !m) throw new SetupError(`"${who}" has not read a message`);
  return { bytes, nameLen: nameBytes(m.name).length, dataLen: m.data.length };
}

const hex = (b: Buffer) => b.toString('hex');

Then('every padding byte of the message {string} read is zero', function (this: KbusWorld, who: string) {
  const { bytes, nameLen, dataLen } = lastBytes(this, who);
  for (const [from, to] of paddingRanges(nameLen, dataLen, this.pointerSize)) {
    expect(hex(bytes.subarray(from, to)), `padding bytes ${from}..${to - 1}`).to.equal(hex(Buffer.alloc(to - from)));
  }
});

Then('the bytes {string} read are exactly the entire form of the message it read', function (this: KbusWorld, who: string) {
  const { bytes } = lastBytes(this, who);
  // Re-encoding the decoded fields gives NULL pointers and zero holes and padding: the only
  // bytes a reader may get.
  const expected = encodeEntire(this.lastRead.get(who)!, this.pointerSize);
  expect(hex(bytes), `bytes "${who}" read`).to.equal(hex(expected));
});

Then('the name in the bytes {string} read starts at byte 88, or at byte 72 with 4-byte pointers', function (this: KbusWorld, who: string) {
  const { bytes, nameLen } = lastBytes(this, who);
  const start = this.pointerSize === 8 ? 88 : 72;
  const name = nameBytes(this.lastRead.get(who)!.name);
  expect(hex(bytes.subarray(start, start + nameLen + 1)), `bytes from ${start}`).to.equal(hex(Buffer.concat([name, Buffer.alloc(1)])));
  const endGuardAt = this.pointerSize === 8 ? 80 : 68;
  expect(bytes.readUInt32LE(endGuardAt), `header end guard at byte ${endGuardAt}`).to.equal(END_GUARD);
});

Then('the alignment holes of the header {string} read are zero', function (this: KbusWorld, who: string) {
  if (this.pointerSize !== 8) return; // 4-byte pointers leave no holes in the header
  const { bytes } = lastBytes(this, who);
  expect(hex(bytes.subarray(60, 64)), 'hole after data_len (bytes 60..63)').to.equal('00000000');
  expect(hex(bytes.subarray(84, 88)), 'tail padding after end_guard (bytes 84..87)').to.equal('00000000');
});

Then('the final end guard of the message {string} read follows the padded name directly', function (this: KbusWorld, who: string) {
  const { bytes, nameLen } = lastBytes(this, who);
  const guardAt = headerSize(this.pointerSize) + paddedNameLength(nameLen);
  expect(bytes.length, 'length of the message').to.equal(guardAt + 4);
  expect(bytes.readUInt32LE(guardAt), `word at ${guardAt}`).to.equal(END_GUARD);
});

Then('the two messages {string} receives differ only in their message ids', async function (this: KbusWorld, who: string) {
  const first = await this.readNext(who);
  const second = await this.readNext(who);
  if (!first || !second) expect.fail(`"${who}" expected two messages`);
  expect(second.id, 'message ids').to.not.deep.equal(first.id);
  const zeroId = { networkId: 0, serialNum: 0 };
  expect(hex(encodeEntire({ ...second, id: zeroId }, this.pointerSize)), 'second message apart from its id').to.equal(
    hex(encodeEntire({ ...first, id: zeroId }, this.pointerSize)),
  );
});

function setPointyData(world: KbusWorld, who: string, text: string): void {
  const buffers = scratch(world).pointy.get(who);
  if (!buffers?.data) throw new SetupError(`"${who}" has not written a pointy message with data`);
  buffers.data.set(resolveData(`"${text}"`));
  world.trace.push({ ksock: who, event: `changed its pointy data buffer to "${text}"` });
}

Given('{string} has changed the data buffer of its pointy message to {string}', function (this: KbusWorld, who: string, text: string) {
  setPointyData(this, who, text);
});

When('{string} changes the data buffer of its pointy message to {string}', function (this: KbusWorld, who: string, text: string) {
  setPointyData(this, who, text);
});
