/**
 * What `freshDevices` promises, whichever adapter keeps buses for the run: a scenario that needs
 * a fresh device, after scenarios that used the kept buses, gets new buses nothing opened yet.
 */

import { strict as assert } from 'node:assert';
import type { Adapter } from '../adapters/adapter';

export async function assertFreshBuses(adapter: Adapter): Promise<void> {
  assert.ok(adapter.capabilities.has('fresh-device'));
  const used = await adapter.beginScenario();
  await (await used.bus.open('rw')).close();
  await (await (await used.secondBus!()).open('rw')).close();
  await used.end();
  const buses = await adapter.beginScenario(new Set(['fresh-device', 'second-bus']));
  const other = await buses.secondBus!();
  assert.ok(buses.bus.number >= 2 && other.number >= 2 && other.number !== buses.bus.number);
  assert.equal(await (await buses.bus.open('rw')).ksockId(), 1);
  assert.equal(await (await other.open('rw')).ksockId(), 1);
  await buses.end();
}
