/**
 * The remote adapter end to end: the whole suite through kbus-agent (built here with the
 * system cc) on the reference served through FUSE, and through the TypeScript agent, gives
 * what the in-process reference gives; an agent that cannot be reached, answers garbage or
 * dies ends the run as the CLI promises.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AdapterLoadError } from '../adapters/load';
import { createAdapter, type RemoteAdapterOptions } from '../adapters/remote';
import { environmentInfo } from '../cli/allure';
import { probeImplementation } from '../cli/implementation';
import { buildAgent, removeBuild, type Build } from './agent-harness';
import { assertFreshBuses } from './fresh-buses';
import { BIN, outcomeDifferences, runCli, suiteOutcomes, type ScenarioOutcome } from './cli-run';
import { fuseUnavailable, startServer, type ServedDevices } from './fuse-harness';

const noFuse = fuseUnavailable();
const TS_AGENT = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} agent`;
const DEVICE_OPTIONS = ['--adapter-option', 'newDevicePerWorker=true', '--adapter-option', 'allowNewDevice=true'];

let inProcess: ScenarioOutcome[] | undefined;
const referenceOutcomes = () => (inProcess ??= suiteOutcomes([]));

describe('kbus-agent on the reference served through FUSE', { skip: noFuse ? `FUSE unavailable: ${noFuse}` : false }, () => {
  let build: Build;
  let served: ServedDevices;

  before(async () => {
    build = buildAgent('cc');
    served = await startServer(['--devices', '2', '--max-message-size', '409600']);
  });
  after(async () => {
    await served?.stop();
    if (build) removeBuild(build);
  });

  it('the whole suite through --agent kbus-agent gives what it gives on the reference in-process', (t) => {
    if (build.skip) return t.skip(build.skip);
    const agent = `${build.binary} --device ${served.device(1)} --bindings ${path.join(served.dir, 'bindings')}`;
    const remote = suiteOutcomes(['--agent', agent, ...DEVICE_OPTIONS]);
    assert.ok(remote.length > 0, 'the suite ran no scenario');
    assert.deepEqual(outcomeDifferences(remote, referenceOutcomes(), 'through kbus-agent'), []);
  });
});

describe('the TypeScript agent', () => {
  it('the whole suite through --agent "kbus-conformance agent" gives what it gives on the reference in-process', () => {
    const remote = suiteOutcomes(['--agent', TS_AGENT, ...DEVICE_OPTIONS]);
    assert.ok(remote.length > 0, 'the suite ran no scenario');
    assert.deepEqual(outcomeDifferences(remote, referenceOutcomes(), 'through the TypeScript agent'), []);
  });
});

describe('what the agent states reaches the reports', () => {
  it('the envelope and the Allure environment name the agent, its transport, kernel release and pointer size', async () => {
    const agent = `${TS_AGENT} --pointer-size 4`;
    const implementation = await probeImplementation({ adapter: 'remote', adapterOptions: { agent } });
    assert.equal(implementation.pointerSize, 4);
    assert.equal(implementation.kernelRelease, os.release());
    assert.match(implementation.details.agent ?? '', /^kbus-conformance agent .*\(reference\)$/);
    assert.equal(implementation.details.transport, `agent ${agent}`);
    const environment = environmentInfo({ verdict: 'conforming', implementation, selection: 'all scenarios' });
    assert.equal(environment['pointer size'], '4');
    assert.equal(environment.transport, `agent ${agent}`);
    assert.equal(environment['kernel release'], os.release());
  });
});

describe('fresh devices through an agent', () => {
  it('with fresh devices asked for, a scenario that needs one gets new buses whose first Ksocks are 1', async () => {
    const adapter = await createAdapter({ agent: `${TS_AGENT} --devices 2`, secondDevice: 1, allowNewDevice: true, freshDevices: true });
    try {
      await assertFreshBuses(adapter);
    } finally {
      await adapter.dispose();
    }
  });

  it('without freshDevices, or without NEWDEVICE allowed, there is no fresh-device capability', async () => {
    for (const options of [{ allowNewDevice: true }, { freshDevices: true }]) {
      const adapter = await createAdapter({ agent: TS_AGENT, ...options });
      try {
        assert.equal(adapter.capabilities.has('fresh-device'), false);
      } finally {
        await adapter.dispose();
      }
    }
  });
});

describe('an agent that cannot serve is refused in one line', () => {
  const refusal = async (options: RemoteAdapterOptions): Promise<string> => {
    const e = await createAdapter(options).then(
      async (adapter) => {
        await adapter.dispose();
        return assert.fail('the adapter started');
      },
      (err: Error) => err,
    );
    assert.ok(e instanceof AdapterLoadError, String(e));
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  };

  it('an agent that exits at once, with what it said on stderr', async () => {
    assert.match(await refusal({ agent: 'echo "kbus-agent: cannot open /dev/kbus0" >&2; exit 3' }), /exited with code 3 \(kbus-agent: cannot open \/dev\/kbus0\)/);
  });

  it('an agent that never answers HELLO', async () => {
    assert.match(await refusal({ agent: 'sleep 30', helloTimeoutMs: 300 }), /no answer to HELLO within 300 ms/);
  });

  it('nothing listening where --connect points', async () => {
    const socket = path.join(os.tmpdir(), `kbus-no-agent-${process.pid}.sock`);
    assert.match(await refusal({ connect: `unix:${socket}` }), /cannot connect to unix:.*kbus-no-agent/);
  });

  it('a second worker with no way to get a bus of its own', async () => {
    assert.match(await refusal({ agent: TS_AGENT, workerId: 1 }), /worker 1 needs a bus of its own/);
  });
});

describe('the CLI with an agent that cannot serve', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-remote-cli-'));
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const refused = async (args: string[]) => {
    const run = await runCli(['--quiet', ...args], { cwd });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    return run.stderr;
  };

  it('garbage instead of a HELLO answer: one line, exit 2', async () => {
    assert.match(await refused(['--agent', 'printf "garbage from a board"; sleep 5']), /the agent sent garbage: a frame of \d+ bytes is longer/);
  });

  it('--device with the remote adapter, and --agent with --connect, are usage errors', async () => {
    assert.match(await refused(['--agent', TS_AGENT, '--device', '/dev/kbus0']), /give it to the agent/);
    assert.match(await refused(['--agent', TS_AGENT, '--connect', 'tcp:localhost:1']), /choose one/);
  });
});

describe('an agent that dies during the run', () => {
  it('breaks the running scenario, and every later one at once with the reason, rather than waiting for timeouts', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-remote-dies-'));
    try {
      // The agent's input ends after 40 kB, in the middle of the run and most likely of a frame.
      const cut = `let n = 40000; process.stdin.on('data', (d) => { process.stdout.write(d.subarray(0, n)); n -= d.length; if (n <= 0) process.exit(0); })`;
      const run = await runCli(['--quiet', '--reports', 'reports', '--agent', `${JSON.stringify(process.execPath)} -e "${cut}" | ${TS_AGENT}`], { cwd, boundMs: 120_000 });
      assert.equal(run.code, 1, run.stderr);
      const { scenarios } = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/kbus-conformance.json'), 'utf8')) as {
        scenarios: (ScenarioOutcome & { message?: string })[];
      };
      const first = scenarios.findIndex((s) => s.outcome === 'broken');
      assert.ok(first > 0, 'some scenarios passed before the agent died');
      const after = scenarios.slice(first).filter((s) => s.outcome !== 'skipped');
      assert.deepEqual(
        after.filter((s) => s.outcome !== 'broken' || !/agent/.test(s.message ?? '') || /did not answer within/.test(s.message ?? '')).map((s) => `${s.name}: ${s.outcome} ${s.message ?? ''}`),
        [],
      );
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
