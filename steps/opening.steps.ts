/**
 * Opening Ksocks outside the World's named set: open modes, device numbers, a crowd of Ksocks
 * open at once. Each step closes what it opened, so the scenario ends clean.
 */

import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { Ksock, OpenMode } from '../adapters/adapter';
import { KbusWorld } from './world';

async function idThenClose(ksock: Ksock): Promise<number> {
  try {
    return await ksock.ksockId();
  } finally {
    await ksock.close();
  }
}

When(/^a Ksock is opened (read-only|for reading and writing)$/, async function (this: KbusWorld, how: string) {
  const mode: OpenMode = how === 'read-only' ? 'r' : 'rw';
  await this.attempt(async () => idThenClose(await this.buses.bus.open(mode)));
});

When('device number {int} is opened', async function (this: KbusWorld, number: number) {
  await this.attempt(async () => idThenClose(await this.buses.openDevice(number, 'rw')));
});

function openedIds(world: KbusWorld): number[] {
  const value = world.succeededWith('opening');
  return Array.isArray(value) ? value : [value as number];
}

Then('the new Ksock had a non-zero Ksock id', function (this: KbusWorld) {
  expect(openedIds(this)[0], 'KSOCKID of the new Ksock').to.not.equal(0);
});

When('{int} Ksocks are opened on the bus before any is closed', async function (this: KbusWorld, count: number) {
  const open: Ksock[] = [];
  try {
    await this.attempt(async () => {
      for (let i = 0; i < count; i++) open.push(await this.buses.bus.open('rw'));
      return Promise.all(open.map((k) => k.ksockId()));
    });
  } finally {
    for (const k of open) await k.close();
  }
});

Then('the {int} Ksocks all had different non-zero Ksock ids', function (this: KbusWorld, count: number) {
  const ids = openedIds(this);
  expect(ids.length, 'Ksocks opened').to.equal(count);
  expect(ids, 'Ksock ids').to.not.include(0);
  expect(new Set(ids).size, 'distinct Ksock ids').to.equal(count);
});
