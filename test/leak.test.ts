/**
 * Leaks: a whole run of the suite against the reference, in this process through the CLI's
 * exported entry point, leaves no file descriptor open that was not open before, and every
 * reference device it used ends with no Ksock, binding or queued message. A scenario that
 * leaves a Ksock open behind the steps' back is reported broken, not silently cleaned up.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResultEnvelope } from '../cli/envelope';
import { main } from '../cli/main';
import { ENVELOPE_FILE } from '../cli/reports';
import type { Device } from '../reference/device';
import { invariantViolations } from '../reference/invariants';
import { KbusSystem } from '../reference/system';
import { FAULTY_ADAPTER, runCli } from './cli-run';

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-leak-test-'));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function openFds(): string[] {
  return fs.readdirSync('/proc/self/fd');
}

/** What a descriptor refers to; the one that listed /proc/self/fd is closed by the time we look. */
function target(fd: string): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '(gone)';
  }
}

/** Every device any reference system creates from now on, so the test can look inside afterwards. */
function watchDevices(): Device[] {
  const devices: Device[] = [];
  const newDevice = KbusSystem.prototype.newDevice;
  KbusSystem.prototype.newDevice = function (this: KbusSystem) {
    const device = newDevice.call(this);
    devices.push(device);
    return device;
  };
  return devices;
}

/** The CLI's summary goes to stdout, which the test runner reads; keep it for the assertions instead. */
async function quietly<T>(run: () => Promise<T>): Promise<{ value: T; output: string }> {
  const write = process.stdout.write;
  let output = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await run(), output };
  } finally {
    process.stdout.write = write;
  }
}

describe('a whole run against the reference', () => {
  it('leaves no file descriptor open and nothing in any reference device', async () => {
    const devices = watchDevices();
    const before = openFds();
    const reports = path.join(dir, 'reports');
    const { value: code, output } = await quietly(() => main(['--quiet', '--reports', reports]));
    const leaked = openFds()
      .filter((fd) => !before.includes(fd))
      .map((fd) => `${fd} -> ${target(fd)}`)
      .filter((l) => !l.endsWith('(gone)'));
    assert.deepEqual(leaked, [], 'file descriptors opened by the run and never closed');
    assert.notEqual(code, 2, output);

    const envelope = JSON.parse(fs.readFileSync(path.join(reports, ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
    assert.ok(envelope.totals.passed > 100, `a whole run: ${JSON.stringify(envelope.totals)}`);
    assert.deepEqual(
      envelope.scenarios.filter((s) => /left \d+ Ksock/.test(s.message ?? '')).map((s) => s.name),
      [],
      'scenarios that left Ksocks open',
    );

    assert.ok(devices.length >= envelope.totals.passed, `${devices.length} devices watched`);
    const holding = devices
      .filter((d) => d.ksocks.size > 0 || d.bindings.size > 0 || d.setAside.size > 0)
      .map((d) => `kbus${d.number}: ${d.ksocks.size} Ksocks, ${d.bindings.size} bindings, ${d.setAside.size} set-aside events`);
    assert.deepEqual(holding, [], 'reference devices still holding something after the run');
    const systems = new Set(devices.map((d) => d.system));
    assert.deepEqual([...systems].flatMap(invariantViolations), []);
  });
});

describe('a scenario that leaves a Ksock open', () => {
  it('is reported broken, naming the count', async () => {
    fs.writeFileSync(
      path.join(dir, 'stray.feature'),
      `@area:fixture
Feature: stray fixture

  @NAME-06 @spec:message-names @core
  Scenario: stray: a Ksock opened behind the steps' back
    Given a Ksock "alice"
    When "alice" binds as a listener to "$.Fred"
    Then it succeeds
`,
    );
    const r = await runCli(['--quiet', '--reports', 'stray-reports', '--adapter', FAULTY_ADAPTER, '--adapter-option', 'strays=1', 'stray.feature'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const envelope = JSON.parse(fs.readFileSync(path.join(dir, 'stray-reports', ENVELOPE_FILE), 'utf8')) as ResultEnvelope;
    assert.deepEqual(
      envelope.scenarios.map((s) => [s.outcome, s.message]),
      [['broken', 'the scenario left 1 Ksock(s) open that the steps did not know about']],
    );
  });
});
