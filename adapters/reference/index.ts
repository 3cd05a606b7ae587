/**
 * The reference adapter: the suite's Adapter interface over the in-process reference devices.
 * Each scenario gets a fresh system, so its device 0 is unused (ids and serials start at 1).
 */

import type { Adapter, AdapterOptions, Bus, Capability, Ksock, OpenMode, PollResult, ScenarioBuses } from '../adapter';
import { LIMITS, PointerSize } from '../../wire/constants';
import { KbusError } from '../../wire/errno';
import { ioctlName } from '../../wire/ioctl';
import { MessageHeader, encodeHeader } from '../../wire/message';
import { KbusPolicy } from '../../reference/policy';
import { KbusSystem, SystemOptions } from '../../reference/system';
import type { Ksock as ReferenceKsock } from '../../reference/ksock';
import { FakeAddressSpace } from './memory';

export interface ReferenceAdapterOptions extends AdapterOptions {
  defaultMaxMessageSize?: number;
  absoluteMaxMessageSize?: number;
  pointerSize?: PointerSize;
  /** A variant's decisions (mutants pass theirs here). */
  policy?: KbusPolicy;
  /** Shown in reports instead of `reference`. */
  name?: string;
}

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'fresh-device',
  'new-device',
  'second-bus',
  'pointy-messages',
  'proc-reports',
  'raw-ioctl',
  'bad-pointers',
  'serial-counter',
  'module-load',
]);

/**
 * The size limits of the out-of-tree module build that the original KBUS tests run against
 * (the in-kernel Kconfig default is 1024): large enough that every size scenario runs.
 */
export const SUITE_MAX_MESSAGE_SIZE = LIMITS.OUT_OF_TREE_MAX_MSG_SIZE;

export function createAdapter(options: ReferenceAdapterOptions = {}): Adapter {
  const systemOptions: SystemOptions = {
    defaultMaxMessageSize: optionalNumber(options, 'defaultMaxMessageSize') ?? SUITE_MAX_MESSAGE_SIZE,
    absoluteMaxMessageSize: optionalNumber(options, 'absoluteMaxMessageSize') ?? SUITE_MAX_MESSAGE_SIZE,
    pointerSize: optionalNumber(options, 'pointerSize') as PointerSize | undefined,
    policy: options.policy,
  };
  const probe = new KbusSystem(systemOptions);
  return {
    name: typeof options.name === 'string' ? options.name : 'reference',
    capabilities: CAPABILITIES,
    pointerSize: probe.pointerSize,
    async limits() {
      return {
        absoluteMaxMessageSize: probe.absoluteMaxMessageSize,
        defaultMaxMessageSize: probe.defaultMaxMessageSize,
        defaultMaxMessages: LIMITS.DEFAULT_MAX_MESSAGES,
      };
    },
    async describe() {
      return {
        implementation: 'in-process reference',
        pointerSize: String(probe.pointerSize),
        maxMessageSize: `${probe.defaultMaxMessageSize} (absolute ${probe.absoluteMaxMessageSize})`,
        policy: probe.policy.constructor.name,
      };
    },
    async beginScenario() {
      return new Scenario((devices) => new KbusSystem({ ...systemOptions, devices }));
    },
    async dispose() {},
  };
}

function optionalNumber(options: AdapterOptions, key: string): number | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`reference adapter option ${key} must be an integer, not ${String(value)}`);
  return n;
}

/** One scenario's system, with the Ksocks it opened so that end() can close the leftovers. */
class Scenario implements ScenarioBuses {
  readonly bus: Bus;
  private readonly open = new Set<AdaptedKsock>();
  private readonly memory = new FakeAddressSpace();
  private system: KbusSystem;

  constructor(private readonly load: (devices?: number) => KbusSystem) {
    this.system = load();
    this.bus = this.busFor(0);
  }

  async loadModule(devices?: number): Promise<void> {
    if (this.open.size > 0) throw new Error('the module cannot be reloaded while Ksocks are open');
    this.system = this.load(devices);
  }

  async setLastSerial(serial: number): Promise<void> {
    this.system.device(0).setLastSerial(serial);
  }

  async procStats(): Promise<string> {
    return this.system.procStats();
  }

  async secondBus(): Promise<Bus> {
    return this.busFor(this.system.newDevice().number);
  }

  async openDevice(number: number, mode: OpenMode): Promise<Ksock> {
    const ksock = new AdaptedKsock(this.system.open(number, mode, { memory: this.memory }), this.memory, () => this.open.delete(ksock));
    this.open.add(ksock);
    return ksock;
  }

  async procBindings(): Promise<string> {
    return this.system.procBindings();
  }

  async end(): Promise<{ leftOpen: number }> {
    const leftOpen = this.open.size;
    for (const ksock of [...this.open]) await ksock.close();
    return { leftOpen };
  }

  private busFor(number: number): Bus {
    return { number, open: (mode) => this.openDevice(number, mode) };
  }
}

/** One reference Ksock behind the asynchronous Ksock interface. */
class AdaptedKsock implements Ksock {
  constructor(
    private readonly k: ReferenceKsock,
    private readonly memory: FakeAddressSpace,
    private readonly closed: () => void,
  ) {}

  async write(bytes: Uint8Array) { return this.k.write(bytes); }
  async read(count: number) { return this.k.read(count); }
  async send() { return this.k.send(); }
  async discard() { this.k.discard(); }
  async nextMsg() { return this.k.nextMsg(); }
  async lenLeft() { return this.k.lenLeft(); }
  async bind(name: string, replier: boolean) { this.k.bind(name, replier); }
  async unbind(name: string, replier: boolean) { this.k.unbind(name, replier); }
  async bindRaw(name: Buffer, nameLen: number, replier: boolean, unbind: boolean) {
    if (unbind) this.k.unbind(name, replier, nameLen);
    else this.k.bind(name, replier, nameLen);
  }
  async replierOf(name: string) { return this.k.replierOf(name); }
  async replierQuery(name: string) { return this.k.replierQuery(name); }
  async ksockId() { return this.k.ksockId(); }
  async lastSent() { return this.k.lastSent(); }
  async maxMsgs(value: number) { return this.k.maxMsgs(value); }
  async numMsgs() { return this.k.numMsgs(); }
  async unrepliedTo() { return this.k.unrepliedTo(); }
  async msgOnlyOnce(value: number) { return this.k.msgOnlyOnce(value); }
  async verbose(value: number) { return this.k.verbose(value); }
  async reportReplierBinds(value: number) { return this.k.reportReplierBinds(value); }
  async maxMsgSize(value: number) { return this.k.maxMsgSize(value); }
  async newDevice() { return this.k.newDevice(); }
  async reset() { this.k.reset(); }

  async close() {
    this.closed();
    this.k.close();
  }

  async allocate(bytes: Uint8Array) {
    return this.memory.allocate(bytes);
  }

  async writeHeader(header: MessageHeader) {
    return this.k.write(encodeHeader(header, this.k.device.pointerSize));
  }

  /**
   * Waits on the device's change notification (never a sleep loop), re-polling after each
   * change, until the wanted readiness or the timeout.
   */
  poll(want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult> {
    const satisfied = (r: PollResult) => (want.readable === true && r.readable) || (want.writable === true && r.writable);
    const now = this.k.poll();
    if (satisfied(now) || timeoutMs <= 0) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        settle();
      };
      const look = (final: boolean) => {
        try {
          const r = this.k.poll();
          if (final || satisfied(r)) finish(() => resolve(r));
        } catch (e) {
          finish(() => reject(e));
        }
      };
      const unsubscribe = this.k.onChange(() => look(false));
      const timer = setTimeout(() => look(true), timeoutMs);
    });
  }

  /** An ioctl whose argument pointer is NULL: the reference device finds nothing mapped there. */
  async ioctlWithBadPointer(request: number): Promise<number> {
    const name = ioctlName(request, this.k.device.pointerSize);
    if (name === undefined) return this.rawIoctl(request, 0);
    return this.k.ioctlAt(name, 0n);
  }

  /** By request number, as a C client would; BIND, UNBIND and REPLIER need a struct, not a u32 (EFAULT). */
  async rawIoctl(request: number, arg: number): Promise<number> {
    const k = this.k;
    const name = ioctlName(request, k.device.pointerSize);
    switch (name) {
      case undefined:
        throw new KbusError('ENOTTY', 'ioctl', `unknown request 0x${(request >>> 0).toString(16)}`);
      case 'BIND':
      case 'UNBIND':
      case 'REPLIER':
        throw new KbusError('EFAULT', name, 'a u32 is not a name structure');
      case 'RESET': k.reset(); return 0;
      case 'KSOCKID': k.ksockId(); return 0;
      case 'NEXTMSG': return k.nextMsg() > 0 ? 1 : 0;
      case 'LENLEFT': k.lenLeft(); return 0;
      case 'SEND': k.send(); return 0;
      case 'DISCARD': k.discard(); return 0;
      case 'LASTSENT': k.lastSent(); return 0;
      case 'MAXMSGS': k.maxMsgs(arg); return 0;
      case 'NUMMSGS': k.numMsgs(); return 0;
      case 'UNREPLIEDTO': k.unrepliedTo(); return 0;
      case 'MSGONLYONCE': k.msgOnlyOnce(arg); return 0;
      case 'VERBOSE': k.verbose(arg); return 0;
      case 'NEWDEVICE': k.newDevice(); return 0;
      case 'REPORTREPLIERBINDS': k.reportReplierBinds(arg); return 0;
      case 'MAXMSGSIZE': k.maxMsgSize(arg); return 0;
    }
  }
}
