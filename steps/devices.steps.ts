/** Devices: creating buses with NEWDEVICE, opening them by number, and Ksock ids per bus. */

import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { LIMITS } from '../wire/constants';
import { errnoOf } from '../wire/errno';
import { KbusWorld, SetupError } from './world';

/** Numbers of the devices each scenario created, oldest first. */
const created = new WeakMap<KbusWorld, number[]>();

function remember(world: KbusWorld, device: number): void {
  created.set(world, [...(created.get(world) ?? []), device]);
}

function createdDevices(world: KbusWorld): number[] {
  const devices = created.get(world) ?? [];
  if (devices.length === 0) throw new SetupError('no new device has been created');
  return devices;
}

Given('{string} has created a new device', async function (this: KbusWorld, who: string) {
  remember(this, await this.setup(`NEWDEVICE through ${who}`, () => this.ksock(who).newDevice()));
});

When('{string} creates a new device', async function (this: KbusWorld, who: string) {
  const outcome = await this.attempt(() => this.ksock(who).newDevice());
  if (outcome.ok) remember(this, outcome.value as number);
});

When('{string} creates new devices until NEWDEVICE refuses', async function (this: KbusWorld, who: string) {
  const k = this.ksock(who);
  // Bounded: a device that never refuses fails the scenario instead of running forever.
  for (let i = 0; i <= LIMITS.MAX_DEVICES; i++) {
    const outcome = await this.attempt(() => k.newDevice());
    if (!outcome.ok) return;
    remember(this, outcome.value as number);
  }
  expect.fail(`NEWDEVICE still succeeded after ${LIMITS.MAX_DEVICES + 1} calls`);
});

Then('the new device has the number after the one created before it', function (this: KbusWorld) {
  const devices = createdDevices(this);
  if (devices.length < 2) throw new SetupError('fewer than two new devices have been created');
  expect(devices[devices.length - 1], 'number of the newest device').to.equal(devices[devices.length - 2] + 1);
});

Then('the last new device created is number {int}', function (this: KbusWorld, device: number) {
  const devices = createdDevices(this);
  expect(devices[devices.length - 1], 'number of the last device NEWDEVICE created').to.equal(device);
});

Then('each new device opens read-only and read\\/write', async function (this: KbusWorld) {
  for (const device of createdDevices(this)) {
    for (const mode of ['r', 'rw'] as const) {
      const k = await this.buses.openDevice(device, mode).catch((e: unknown) => {
        expect.fail(`opening kbus${device} (${mode}) failed with ${errnoOf(e)}`);
      });
      await k.close();
    }
  }
});

Given('a Ksock {string} on the new device', async function (this: KbusWorld, name: string) {
  const devices = createdDevices(this);
  await this.open(name, 'rw', devices[devices.length - 1]);
});

Then('the Ksock id of {string} is one more than that of {string}', function (this: KbusWorld, later: string, earlier: string) {
  expect(this.idOf(later), `Ksock id of "${later}", opened after "${earlier}" (${this.idOf(earlier)})`).to.equal(this.idOf(earlier) + 1);
});

Given(/^the module has been loaded (?:with kbus_num_devices (\d+)|without kbus_num_devices)$/, async function (this: KbusWorld, count: string | null | undefined) {
  const load = this.buses.loadModule;
  if (!load) throw new SetupError(`the ${this.adapter.name} adapter cannot load the module`);
  const devices = count ? Number(count) : undefined;
  await this.setup(`load the module${count ? ` with ${count} devices` : ''}`, () => load.call(this.buses, devices));
});

/** Opens device `n` and closes it again: `opened`, or the errno open gave. */
function openAndClose(world: KbusWorld, n: number): Promise<string> {
  return world.buses.openDevice(n, 'rw').then(
    (k) => k.close().then(() => 'opened'),
    (e: unknown) => errnoOf(e),
  );
}

Then('buses {int} to {int} can each be opened', async function (this: KbusWorld, first: number, last: number) {
  for (let n = first; n <= last; n++) {
    expect(await openAndClose(this, n), `open kbus${n}`).to.equal('opened');
  }
});

Then('bus {int} does not exist', async function (this: KbusWorld, n: number) {
  expect(await openAndClose(this, n), `open kbus${n}`).to.equal('ENOENT');
});
