/**
 * The kernel-device adapter: drives /dev/kbusN (or a userspace device file serving the same
 * ABI) with real system calls, exactly as a C client would.
 *
 * Devices cannot be deleted and at most 256 exist, so a worker keeps one bus for the whole run
 * and each scenario gets it back cleaned to defaults rather than a fresh device; only a
 * scenario that needs a fresh device gets new ones, made by NEWDEVICE where that is allowed.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PointerSize } from '../../wire/constants';
import { isKbusError } from '../../wire/errno';
import type { Adapter, AdapterOptions, Bus, Capability, OpenMode, ScenarioBuses } from '../adapter';
import { closeLeftOpen } from '../device-ksock';
import { AdapterLoadError } from '../load';
import { KernelKsock } from './ksock';
import { nativePointerSize, sysOpen } from './syscalls';

export interface KernelAdapterOptions extends AdapterOptions {
  /** The bus to test; default /dev/kbus0. */
  device?: string;
  /** A second bus, walled off from the first, for the `second-bus` scenarios. */
  secondDevice?: string;
  /** Scenarios may call NEWDEVICE (each call leaves a device behind until the module is reloaded). */
  allowNewDevice?: boolean;
  /**
   * With allowNewDevice, a scenario that needs a fresh device gets buses made by NEWDEVICE for
   * it: for a module loaded just for the run, since DEV-03 then uses up every device number.
   */
  freshDevices?: boolean;
  /** The adapter may NEWDEVICE once per worker: for the second bus, and for its own bus when workerId > 0. */
  newDevicePerWorker?: boolean;
  /** Where the bindings report is; default /proc/kbus/bindings (a FUSE server serves DIR/bindings). */
  procBindings?: string;
}

export interface DeviceLimits {
  absoluteMaxMessageSize: number;
  defaultMaxMessageSize: number;
  defaultMaxMessages: number;
}

const DEFAULT_DEVICE = '/dev/kbus0';
const DEFAULT_PROC_BINDINGS = '/proc/kbus/bindings';
/** How long udev may take to create the node of a device made by NEWDEVICE. */
const NODE_APPEAR_MS = 5_000;

/** Opens `device` as a C client would, turning the usual misconfigurations into one-line errors. */
async function openChecked(device: string): Promise<KernelKsock> {
  let fd: number;
  try {
    fd = sysOpen(device, 'rw');
  } catch (e) {
    if (!isKbusError(e)) throw e;
    if (e.errno === 'ENOENT') throw new AdapterLoadError(`no such device: ${device}`);
    if (e.errno === 'EACCES' || e.code === 1 /* EPERM */) {
      throw new AdapterLoadError(
        `permission denied opening ${device}: run as root, or give your user access (chmod a+rw ${device}, or a udev rule such as KERNEL=="kbus[0-9]*", MODE="0666")`,
      );
    }
    throw new AdapterLoadError(`cannot open ${device}: ${e.errno}`);
  }
  return new KernelKsock(fd, nativePointerSize(), () => undefined);
}

/**
 * Checks that `device` is a usable KBUS device and reads its limits, which are build-time
 * values of the module rather than the reference's.
 */
export async function checkDevice(device: string): Promise<DeviceLimits> {
  const ksock = await openChecked(device);
  try {
    try {
      await ksock.ksockId();
    } catch (e) {
      if (isKbusError(e)) throw new AdapterLoadError(`not a KBUS device: ${device} (KSOCKID gave ${e.errno})`);
      throw e;
    }
    return {
      absoluteMaxMessageSize: await ksock.maxMsgSize(1),
      defaultMaxMessageSize: await ksock.maxMsgSize(0),
      defaultMaxMessages: await ksock.maxMsgs(0),
    };
  } finally {
    await ksock.close();
  }
}

/** `/dev/kbus7` for 7, next to the device the user named. */
function siblingPath(device: string, n: number): string {
  return device.replace(/\d*$/, String(n));
}

function deviceNumber(device: string): number {
  const m = /(\d+)$/.exec(device);
  return m ? Number(m[1]) : 0;
}

/** Waits (bounded) for udev to create the node of a device just made by NEWDEVICE. */
function nodeAppears(file: string, timeoutMs: number): Promise<void> {
  if (fs.existsSync(file)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(path.dirname(file), () => {
      if (fs.existsSync(file)) done();
    });
    const timer = setTimeout(() => done(new AdapterLoadError(`${file} did not appear within ${timeoutMs} ms after NEWDEVICE`)), timeoutMs);
    const done = (err?: Error) => {
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve();
    };
    if (fs.existsSync(file)) done();
  });
}

async function newDeviceNextTo(device: string): Promise<string> {
  const ksock = await openChecked(device);
  try {
    const file = siblingPath(device, await ksock.newDevice());
    await nodeAppears(file, NODE_APPEAR_MS);
    return file;
  } finally {
    await ksock.close();
  }
}

/** One bus the adapter keeps for the run, with the defaults to restore before each scenario. */
class KernelBus {
  constructor(
    readonly file: string,
    readonly limits: DeviceLimits,
  ) {}

  static async at(file: string): Promise<KernelBus> {
    return new KernelBus(file, await checkDevice(file));
  }

  /** Device-wide switches back to their defaults; per-Ksock state went with the closed Ksocks. */
  async clean(): Promise<void> {
    const ksock = await openChecked(this.file);
    try {
      await ksock.verbose(0);
      await ksock.reportReplierBinds(0);
      await ksock.maxMsgSize(this.limits.defaultMaxMessageSize);
    } finally {
      await ksock.close();
    }
  }
}

class Scenario implements ScenarioBuses {
  private readonly open = new Set<KernelKsock>();
  readonly bus: Bus;
  secondBus?: () => Promise<Bus>;
  procBindings?: () => Promise<string>;

  /** `second` gives the second bus ready for the scenario (clean, or fresh). */
  constructor(
    private readonly main: KernelBus,
    second: (() => Promise<KernelBus>) | undefined,
    private readonly pointerSize: PointerSize,
    bindingsReport: string | undefined,
  ) {
    this.bus = this.busOf(main.file);
    if (bindingsReport) this.procBindings = () => fs.promises.readFile(bindingsReport, 'latin1');
    if (second) this.secondBus = async () => this.busOf((await second()).file);
  }

  openDevice(number: number, mode: OpenMode): Promise<KernelKsock> {
    return this.openFile(siblingPath(this.main.file, number), mode);
  }

  private busOf(file: string): Bus {
    return { number: deviceNumber(file), open: (mode) => this.openFile(file, mode) };
  }

  private async openFile(file: string, mode: OpenMode): Promise<KernelKsock> {
    const ksock = new KernelKsock(sysOpen(file, mode), this.pointerSize, (k) => this.open.delete(k));
    this.open.add(ksock);
    return ksock;
  }

  end(): Promise<{ leftOpen: number }> {
    return closeLeftOpen(this.open);
  }
}

export async function createAdapter(options: KernelAdapterOptions = {}): Promise<Adapter> {
  const given = options.device ?? DEFAULT_DEVICE;
  const workerId = options.workerId ?? 0;
  const pointerSize = nativePointerSize();

  // Checking the given device first gives its one-line error even to a worker that will not use it.
  let main = await KernelBus.at(given);
  if (workerId > 0) {
    if (!options.newDevicePerWorker) {
      throw new AdapterLoadError(
        `worker ${workerId} needs a bus of its own: let the kernel adapter create one per worker with NEWDEVICE (--adapter-option newDevicePerWorker=true), or run without --parallel`,
      );
    }
    main = await KernelBus.at(await newDeviceNextTo(given));
  }

  let second: Promise<KernelBus> | undefined;
  const secondSource = options.secondDevice
    ? () => KernelBus.at(options.secondDevice!)
    : options.newDevicePerWorker
      ? async () => KernelBus.at(await newDeviceNextTo(given))
      : undefined;
  const secondBus = secondSource && (() => (second ??= secondSource()));

  const bindingsReport = options.procBindings ?? DEFAULT_PROC_BINDINGS;
  const hasReport = fs.existsSync(bindingsReport);

  const capabilities = new Set<Capability>(['pointy-messages', 'bad-pointers', 'raw-ioctl']);
  if (hasReport) capabilities.add('proc-reports');
  const freshDevices = Boolean(options.allowNewDevice && options.freshDevices);
  if (options.allowNewDevice) capabilities.add('new-device');
  if (freshDevices) capabilities.add('fresh-device');
  if (secondBus) capabilities.add('second-bus');

  const cleanSecond = secondBus && (async () => {
    const bus = await secondBus();
    await bus.clean();
    return bus;
  });
  // Nothing may open a fresh device before the scenario does (that would use up Ksock id 1),
  // so its limits are taken from the bus it was made next to: one module builds both.
  const freshBus = async () => new KernelBus(await newDeviceNextTo(given), main.limits);

  return {
    name: `kernel ${main.file}`,
    capabilities,
    pointerSize,
    limits: async () => main.limits,
    describe: async () => ({
      device: main.file,
      ...(options.secondDevice ? { secondDevice: options.secondDevice } : {}),
      kernelRelease: os.release(),
      pointerSize: String(pointerSize),
    }),
    beginScenario: async (needs) => {
      const report = hasReport ? bindingsReport : undefined;
      if (freshDevices && needs?.has('fresh-device')) {
        let freshSecond: Promise<KernelBus> | undefined;
        const second = secondBus && (() => (freshSecond ??= freshBus()));
        return new Scenario(await freshBus(), second, pointerSize, report);
      }
      await main.clean();
      return new Scenario(main, cleanSecond, pointerSize, report);
    },
    dispose: async () => undefined,
  };
}
