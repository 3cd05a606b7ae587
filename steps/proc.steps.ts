/**
 * /proc/kbus/bindings: the lines one bus contributes, checked column by column. Other buses
 * (other workers on a real system) may appear in the same report; only this bus's lines count.
 */

import { DataTable, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { quotedNames } from './values';
import { KbusWorld, SetupError } from './world';

interface BindingLine {
  ksock: number;
  kind: string;
  name: string;
}

async function report(world: KbusWorld): Promise<string[]> {
  if (!world.buses.procBindings) throw new SetupError(`the ${world.adapter.name} adapter cannot read /proc/kbus/bindings`);
  return (await world.buses.procBindings()).split('\n').filter((l) => l.length > 0);
}

/** Parses one binding line, insisting on the column layout; null for lines of other devices. */
function bindingLine(line: string, device: number): BindingLine | null {
  const m = /^ *(\d+): /.exec(line);
  if (!m || Number(m[1]) !== device) return null;
  const at = `line "${line}"`;
  expect(line.slice(0, 3), `${at}: device number in 3 columns`).to.equal(String(device).padStart(3));
  expect(line.slice(3, 5), `${at}: colon and space after the device number`).to.equal(': ');
  expect(line.slice(5, 13), `${at}: Ksock id in 8 columns`).to.match(/^ *\d+$/);
  expect(line[13], `${at}: space after the Ksock id`).to.equal(' ');
  expect(line.slice(14, 22), `${at}: process id in 8 columns`).to.match(/^ *\d+$/);
  const rest = /^  ([RL])  (.*)$/.exec(line.slice(22));
  expect(rest, `${at}: two spaces, R or L, two spaces, then the name`).to.not.equal(null);
  return { ksock: Number(line.slice(5, 13)), kind: rest![1], name: rest![2] };
}

/** The binding lines of one device, after checking they follow a `#` comment line as one block. */
function deviceBindings(lines: string[], device: number): BindingLine[] {
  const parsed = lines.map((l) => bindingLine(l, device));
  const first = parsed.findIndex((p) => p !== null);
  if (first === -1) return [];
  const block = parsed.slice(first);
  const end = block.findIndex((p) => p === null);
  const own = end === -1 ? block : block.slice(0, end);
  expect(parsed.slice(first + own.length).some((p) => p !== null), `the lines of device ${device} form one block`).to.equal(false);
  expect(lines[first - 1] ?? '', `line before the bindings of device ${device}`).to.match(/^#/);
  return own as BindingLine[];
}

async function expectListed(world: KbusWorld, device: number, table: DataTable): Promise<void> {
  const rows = table.hashes();
  const wanted = rows.map((r) => ({ ksock: world.idOf(r.ksock), kind: r.kind, name: r.name }));
  const listed = deviceBindings(await report(world), device);
  // Ksock ids, not names: two buses may both have a Ksock 1.
  const show = (b: BindingLine) => `${b.ksock} ${b.kind} ${b.name}`;
  const ids = [...new Set(rows.map((r) => `${r.ksock} = ${world.idOf(r.ksock)}`))].join(', ');
  expect(listed.map(show), `bindings of device ${device} in /proc/kbus/bindings (${ids})`).to.deep.equal(wanted.map(show));
}

Then('\\/proc\\/kbus\\/bindings lists for this bus, newest first:', async function (this: KbusWorld, table: DataTable) {
  await expectListed(this, this.buses.bus.number, table);
});

Then('\\/proc\\/kbus\\/bindings lists for the second bus, newest first:', async function (this: KbusWorld, table: DataTable) {
  await expectListed(this, (await this.secondBus()).number, table);
});

Then('\\/proc\\/kbus\\/bindings lists no bindings for this bus', async function (this: KbusWorld) {
  expect(deviceBindings(await report(this), this.buses.bus.number), 'bindings of this bus').to.deep.equal([]);
});

Then(/^\/proc\/kbus\/stats lists ((?:"[^"]+"(?:, | and )?)+), each with the id it sent last and its queue against its limit$/, async function (this: KbusWorld, list: string) {
  const stats = this.buses.procStats;
  if (!stats) {
    this.log(`skipped: the ${this.adapter.name} adapter cannot read /proc/kbus/stats`);
    return 'skipped';
  }
  const text = await stats.call(this.buses);
  const bus = this.buses.bus.number;
  // Only this bus's section counts: from its "dev N:" line to the next device's.
  const section = text.split(/^(?=dev\s+\d+:)/m).find((s) => new RegExp(`^dev\\s+${bus}:`).test(s));
  expect(section, `a section for device ${bus} in /proc/kbus/stats`).to.not.equal(undefined);
  for (const who of quotedNames(list)) {
    const k = this.ksock(who);
    const last = await k.lastSent();
    const line = `ksock ${this.idOf(who)} last msg ${last.networkId}:${last.serialNum} queue ${await k.numMsgs()} of ${await k.maxMsgs(0)}`;
    expect(section!.split('\n').map((l) => l.trim()), `/proc/kbus/stats for "${who}"`).to.include(line);
  }
});
