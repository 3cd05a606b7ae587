/**
 * The remote adapter: the suite runs here, and an agent (agent/PROTOCOL.md) makes the system
 * calls where the device is, e.g. `kbus-agent` on a board reached over ssh, TCP or a serial
 * line. The agent's handshake says what it can do; buses are kept and cleaned per scenario,
 * and the second bus and NEWDEVICE work as with the kernel adapter.
 */

import { isKbusError } from '../../wire/errno';
import { decodeHello, MAX_FRAME, PROTOCOL_VERSION, u32, type AgentHello } from '../../wire/remote';
import type { Adapter, AdapterOptions, Bus, Capability, OpenMode, ScenarioBuses } from '../adapter';
import { closeLeftOpen } from '../device-ksock';
import { AdapterLoadError } from '../load';
import { AgentConnection } from './connection';
import { RemoteKsock } from './ksock';

export interface RemoteAdapterOptions extends AdapterOptions {
  /** A command speaking the protocol on its stdin/stdout, e.g. `ssh root@board kbus-agent`. */
  agent?: string;
  /** `tcp:HOST:PORT`, `unix:PATH`, or a serial line such as /dev/ttyUSB0. */
  connect?: string;
  /** The device number of a second bus, walled off from the agent's own. */
  secondDevice?: number;
  /** Scenarios may call NEWDEVICE (each call leaves a device behind until the module is reloaded). */
  allowNewDevice?: boolean;
  /**
   * With allowNewDevice, a scenario that needs a fresh device gets buses made by NEWDEVICE for
   * it: for a module loaded just for the run, since DEV-03 then uses up every device number.
   */
  freshDevices?: boolean;
  /** The adapter may NEWDEVICE once per worker: for the second bus, and for its own bus when workerId > 0. */
  newDevicePerWorker?: boolean;
  /** How long the agent has to answer HELLO (default 15 s, or KBUS_AGENT_HELLO_TIMEOUT_MS). */
  helloTimeoutMs?: number;
}

/** How long an agent has to answer HELLO: ssh may ask the network and the board for a while. */
const HELLO_TIMEOUT_MS = 15_000;
/** How long udev on the board may take to create the node of a device made by NEWDEVICE. */
const NODE_APPEAR_MS = 5_000;
const NODE_RETRY_MS = 20;

/** What the agent may state that this adapter passes on to the suite. */
const STATED: Capability[] = ['pointy-messages', 'bad-pointers', 'raw-ioctl', 'proc-reports'];

interface DeviceLimits {
  absoluteMaxMessageSize: number;
  defaultMaxMessageSize: number;
  defaultMaxMessages: number;
}

async function handshake(connection: AgentConnection, timeoutMs: number): Promise<AgentHello> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdapterLoadError(`${connection.transport}: no answer to HELLO within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const answer = await Promise.race([connection.value('HELLO', 'HELLO', u32(PROTOCOL_VERSION)), timeout]);
    const hello = decodeHello(answer.body);
    if (answer.value !== PROTOCOL_VERSION) throw new AdapterLoadError(`${connection.transport}: the agent speaks protocol ${answer.value}, this suite ${PROTOCOL_VERSION}`);
    if (hello.pointerSize !== 4 && hello.pointerSize !== 8) throw new AdapterLoadError(`${connection.transport}: the agent states pointer size ${hello.pointerSize}; KBUS clients have 4 or 8`);
    if (hello.byteOrder !== 'little') throw new AdapterLoadError(`${connection.transport}: the agent's board is ${hello.byteOrder}-endian; the suite encodes KBUS structures little-endian only`);
    if (hello.maxFrame < MAX_FRAME) throw new AdapterLoadError(`${connection.transport}: the agent takes frames of ${hello.maxFrame} bytes; the suite needs ${MAX_FRAME}`);
    return hello;
  } finally {
    clearTimeout(timer);
  }
}

/** The agent's connection, or a one-line reason it cannot be had. */
async function connect(options: RemoteAdapterOptions): Promise<AgentConnection> {
  if (options.agent && options.connect) throw new AdapterLoadError('the remote adapter takes --agent COMMAND or --connect WHERE, not both');
  if (options.agent) return AgentConnection.spawn(options.agent);
  if (options.connect) return AgentConnection.connect(options.connect);
  throw new AdapterLoadError("the remote adapter needs --agent 'COMMAND' (e.g. 'ssh root@board kbus-agent') or --connect tcp:HOST:PORT, unix:PATH or a serial line");
}

/** One bus the adapter keeps for the run, by device number on the agent's side. */
class RemoteBus {
  constructor(
    private readonly agent: AgentConnection,
    private readonly pointerSize: 4 | 8,
    readonly number: number,
    readonly limits: DeviceLimits,
    /** Until when an open may find no node yet: udev on the board may lag behind NEWDEVICE. */
    readonly appearsBy = 0,
  ) {}

  static async at(agent: AgentConnection, pointerSize: 4 | 8, number: number, appearsBy = 0): Promise<RemoteBus> {
    const ksock = await openOn(agent, pointerSize, number, 'rw', () => undefined, appearsBy);
    try {
      try {
        await ksock.ksockId();
      } catch (e) {
        if (isKbusError(e)) throw new AdapterLoadError(`not a KBUS device: the agent's kbus${number} (KSOCKID gave ${e.errno})`);
        throw e;
      }
      return new RemoteBus(agent, pointerSize, number, {
        absoluteMaxMessageSize: await ksock.maxMsgSize(1),
        defaultMaxMessageSize: await ksock.maxMsgSize(0),
        defaultMaxMessages: await ksock.maxMsgs(0),
      });
    } finally {
      await ksock.close();
    }
  }

  /** Device-wide switches back to their defaults; per-Ksock state went with the closed Ksocks. */
  async clean(): Promise<void> {
    const ksock = await openOn(this.agent, this.pointerSize, this.number, 'rw', () => undefined);
    try {
      await ksock.verbose(0);
      await ksock.reportReplierBinds(0);
      await ksock.maxMsgSize(this.limits.defaultMaxMessageSize);
    } finally {
      await ksock.close();
    }
  }

  /** NEWDEVICE, then the new bus once its node exists on the board. */
  async newDevice(): Promise<RemoteBus> {
    return RemoteBus.at(this.agent, this.pointerSize, await this.makeDevice(), Date.now() + NODE_APPEAR_MS);
  }

  /**
   * NEWDEVICE for a scenario that needs a fresh device. Nothing may open it before the scenario
   * does (that would use up Ksock id 1), so it takes this bus's limits (one module makes both)
   * and the scenario's first open is the one that waits for its node.
   */
  async freshDevice(): Promise<RemoteBus> {
    return new RemoteBus(this.agent, this.pointerSize, await this.makeDevice(), this.limits, Date.now() + NODE_APPEAR_MS);
  }

  private async makeDevice(): Promise<number> {
    const ksock = await openOn(this.agent, this.pointerSize, this.number, 'rw', () => undefined);
    try {
      return await ksock.newDevice();
    } finally {
      await ksock.close();
    }
  }
}

/** OPEN, retried while the node may still be on its way (an open that finds none reaches no device). */
async function openOn(agent: AgentConnection, pointerSize: 4 | 8, number: number, mode: OpenMode, onClose: (k: RemoteKsock) => void, appearsBy = 0): Promise<RemoteKsock> {
  for (;;) {
    try {
      const answer = await agent.value('OPEN', 'open', u32(number), u32(mode === 'rw' ? 1 : 0));
      return new RemoteKsock(agent, answer.value, pointerSize, onClose);
    } catch (e) {
      if (!(isKbusError(e) && e.errno === 'ENOENT') || Date.now() > appearsBy) throw e;
      await new Promise((resolve) => setTimeout(resolve, NODE_RETRY_MS));
    }
  }
}

class Scenario implements ScenarioBuses {
  private readonly open = new Set<RemoteKsock>();
  readonly bus: Bus;
  secondBus?: () => Promise<Bus>;
  procBindings?: () => Promise<string>;

  constructor(
    private readonly agent: AgentConnection,
    private readonly pointerSize: 4 | 8,
    main: RemoteBus,
    second: (() => Promise<RemoteBus>) | undefined,
    bindingsReport: boolean,
  ) {
    this.bus = this.busOf(main);
    if (bindingsReport) this.procBindings = async () => (await agent.value('BINDINGS', 'bindings report')).body.toString('latin1');
    if (second) {
      this.secondBus = async () => this.busOf(await second());
    }
  }

  private busOf(bus: RemoteBus): Bus {
    return { number: bus.number, open: (mode) => this.openDevice(bus.number, mode, bus.appearsBy) };
  }

  async openDevice(number: number, mode: OpenMode, appearsBy = 0): Promise<RemoteKsock> {
    const ksock = await openOn(this.agent, this.pointerSize, number, mode, (k) => this.open.delete(k), appearsBy);
    this.open.add(ksock);
    return ksock;
  }

  end(): Promise<{ leftOpen: number }> {
    return closeLeftOpen(this.open);
  }
}

export async function createAdapter(options: RemoteAdapterOptions = {}): Promise<Adapter> {
  const agent = await connect(options).catch((e: Error) => {
    throw new AdapterLoadError(e.message);
  });
  try {
    return await start(agent, options);
  } catch (e) {
    agent.close();
    if (e instanceof AdapterLoadError) throw e;
    throw new AdapterLoadError(agent.failure?.message ?? (e as Error).message);
  }
}

async function start(agent: AgentConnection, options: RemoteAdapterOptions): Promise<Adapter> {
  const hello = await handshake(agent, options.helloTimeoutMs ?? Number(process.env.KBUS_AGENT_HELLO_TIMEOUT_MS ?? HELLO_TIMEOUT_MS));
  const pointerSize = hello.pointerSize as 4 | 8;
  const given = Number(/(\d+)$/.exec(hello.device ?? '')?.[1] ?? 0);
  const workerId = options.workerId ?? 0;
  const canMakeDevices = hello.capabilities.includes('new-device');

  if (!hello.devices.includes(given)) throw new AdapterLoadError(`no such device on the agent's side: ${hello.device ?? `kbus${given}`}`);
  let main = await RemoteBus.at(agent, pointerSize, given);
  if (workerId > 0) {
    if (!options.newDevicePerWorker || !canMakeDevices) {
      throw new AdapterLoadError(
        `worker ${workerId} needs a bus of its own: let the remote adapter create one per worker with NEWDEVICE (--adapter-option newDevicePerWorker=true), or run without --parallel`,
      );
    }
    main = await main.newDevice();
  }
  const first = main;
  const secondSource =
    options.secondDevice !== undefined
      ? () => RemoteBus.at(agent, pointerSize, options.secondDevice!)
      : options.newDevicePerWorker && canMakeDevices
        ? () => first.newDevice()
        : undefined;
  let second: Promise<RemoteBus> | undefined;
  const secondBus = secondSource && (() => (second ??= secondSource()));

  const capabilities = new Set<Capability>(STATED.filter((c) => hello.capabilities.includes(c)));
  const freshDevices = Boolean(options.allowNewDevice && canMakeDevices && options.freshDevices);
  if (options.allowNewDevice && canMakeDevices) capabilities.add('new-device');
  if (freshDevices) capabilities.add('fresh-device');
  if (secondBus) capabilities.add('second-bus');

  const cleanSecond = secondBus && (async () => {
    const bus = await secondBus();
    await bus.clean();
    return bus;
  });

  return {
    name: `remote ${hello.agent} via ${agent.transport}`,
    capabilities,
    pointerSize,
    limits: async () => main.limits,
    describe: async () => ({
      agent: hello.agent,
      transport: agent.transport,
      device: hello.device ?? `kbus${given}`,
      kernelRelease: hello.kernelRelease,
      pointerSize: String(pointerSize),
      byteOrder: hello.byteOrder,
      ...(hello.machine ? { machine: hello.machine } : {}),
      protocol: String(hello.protocol),
    }),
    beginScenario: async (needs) => {
      if (agent.failure) throw agent.failure;
      const report = capabilities.has('proc-reports');
      if (freshDevices && needs?.has('fresh-device')) {
        let freshSecond: Promise<RemoteBus> | undefined;
        const second = secondBus && (() => (freshSecond ??= first.freshDevice()));
        return new Scenario(agent, pointerSize, await first.freshDevice(), second, report);
      }
      await main.clean();
      return new Scenario(agent, pointerSize, main, cleanSecond, report);
    },
    dispose: async () => agent.close(),
  };
}
