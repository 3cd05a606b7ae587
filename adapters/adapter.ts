/**
 * The one interface through which the suite reaches a KBUS implementation.
 *
 * It mirrors the character device: a Ksock is one open file, and every method is one system
 * call on it (write, read, an ioctl, poll, close). All methods are asynchronous so that
 * out-of-process and kernel implementations fit. A refused call rejects with a `KbusError`
 * carrying the errno name; anything else that rejects is a fault of the adapter, not a
 * verdict on the implementation.
 */

import type { PointerSize } from '../wire/constants';
import type { MessageHeader, MessageId } from '../wire/message';

export type { KbusError } from '../wire/errno';

export type OpenMode = 'r' | 'rw';

/**
 * Optional abilities; a scenario tagged `@needs:<capability>` is skipped, with its reason,
 * on an adapter that does not declare it.
 */
export type Capability =
  /** Pointy messages: a header whose name/data pointers the device follows at SEND. */
  | 'pointy-messages'
  /**
   * A scenario that asks for it gets a device nobody has used: Ksock ids and serial numbers
   * start at 1 (see {@link Adapter.beginScenario}).
   */
  | 'fresh-device'
  /** NEWDEVICE may be called by scenarios (each call creates a device that cannot be removed). */
  | 'new-device'
  /** The adapter can hand a scenario a second bus, walled off from the first. */
  | 'second-bus'
  /** /proc/kbus/bindings and /proc/kbus/stats can be read. */
  | 'proc-reports'
  /** Unusable user pointers can be passed to ioctls (EFAULT paths). */
  | 'bad-pointers'
  /** The device accepts raw ioctl request numbers (unknown ioctls give ENOTTY). */
  | 'raw-ioctl'
  /**
   * The scenario's bus can be given a last serial number ({@link ScenarioBuses.setLastSerial}),
   * so that wrapping at 2^32 is reached without sending four thousand million messages.
   */
  | 'serial-counter'
  /**
   * The module can be loaded afresh with a chosen device count ({@link ScenarioBuses.loadModule}),
   * as a module lab can; the scenario's buses are those of the new load.
   */
  | 'module-load';

export interface PollResult {
  readable: boolean;
  writable: boolean;
}

/** User-space memory for pointy messages: the adapter places bytes and returns their address. */
export interface UserBuffer {
  readonly address: bigint;
  /** Overwrites the buffer's bytes in place (what a C client does between write and SEND). */
  set(bytes: Uint8Array): void;
}

export interface Ksock {
  /** Bytes of the message being written; returns the count accepted. */
  write(bytes: Uint8Array): Promise<number>;
  /** Up to `count` bytes of the current message; an empty buffer at its end or with none current. */
  read(count: number): Promise<Buffer>;

  send(): Promise<MessageId>;
  discard(): Promise<void>;
  /** Pops the next message and returns its entire length; 0 when the queue is empty. */
  nextMsg(): Promise<number>;
  lenLeft(): Promise<number>;

  bind(name: string, replier: boolean): Promise<void>;
  unbind(name: string, replier: boolean): Promise<void>;
  /** BIND/UNBIND with an explicit name_len that may disagree with the name (e.g. 0 or 1001). */
  bindRaw(name: Buffer, nameLen: number, replier: boolean, unbind: boolean): Promise<void>;
  /** The Ksock id of the replier bound to exactly this string; 0 when there is none. */
  replierOf(name: string): Promise<number>;
  /** REPLIER as a C client sees it: the ioctl's own return value, and the id it put in return_id. */
  replierQuery?(name: string): Promise<{ returned: number; id: number }>;
  ksockId(): Promise<number>;
  lastSent(): Promise<MessageId>;
  /** 0 queries; n > 0 sets. Returns the limit. */
  maxMsgs(value: number): Promise<number>;
  numMsgs(): Promise<number>;
  unrepliedTo(): Promise<number>;
  /** 0 / 1 set, 0xFFFFFFFF queries; returns the previous value. */
  msgOnlyOnce(value: number): Promise<number>;
  verbose(value: number): Promise<number>;
  reportReplierBinds(value: number): Promise<number>;
  /** 0 queries the limit, 1 the absolute maximum, 100..max sets. Returns the resulting value. */
  maxMsgSize(value: number): Promise<number>;
  /** Creates a new device and returns its number. Needs the `new-device` capability. */
  newDevice(): Promise<number>;
  reset(): Promise<void>;

  /**
   * Waits at most `timeoutMs` for the Ksock to become readable or writable (as requested) and
   * reports what it is at that moment. A timeout of 0 only looks. Polling a Ksock in the
   * ALL_OR_WAIT sending state retries its send, as the device does.
   */
  poll(want: { readable?: boolean; writable?: boolean }, timeoutMs: number): Promise<PollResult>;

  close(): Promise<void>;

  /** Pointy messages: memory the device can follow. Needs the `pointy-messages` capability. */
  allocate?(bytes: Uint8Array): Promise<UserBuffer>;
  /** Writes a header whose pointers refer to buffers from {@link allocate}. */
  writeHeader?(header: MessageHeader): Promise<number>;
  /** Issues an ioctl by raw request number with a u32 argument. Needs `raw-ioctl`. */
  rawIoctl?(request: number, arg: number): Promise<number>;
  /**
   * Issues an ioctl by raw request number whose argument pointer the device cannot use (NULL
   * or unmapped), so that its EFAULT path runs. Needs `bad-pointers`.
   */
  ioctlWithBadPointer?(request: number): Promise<number>;
}

/** One bus (device) as a scenario sees it. */
export interface Bus {
  /** The device number, e.g. 0 for /dev/kbus0. */
  readonly number: number;
  open(mode: OpenMode): Promise<Ksock>;
}

/** The buses one scenario may use; closing it closes every Ksock the scenario left open. */
export interface ScenarioBuses {
  /** The scenario's own bus, clean: no Ksocks, bindings or queued messages, default settings. */
  readonly bus: Bus;
  /** Another bus walled off from `bus`. Needs the `second-bus` capability. */
  secondBus?(): Promise<Bus>;
  /** Opens a device by number (including ones made by NEWDEVICE); ENOENT if it does not exist. */
  openDevice(number: number, mode: OpenMode): Promise<Ksock>;
  /** Text of /proc/kbus/bindings. Needs `proc-reports`. */
  procBindings?(): Promise<string>;
  /** Text of /proc/kbus/stats. Needs `proc-reports`. */
  procStats?(): Promise<string>;
  /** Makes `serial` the last serial number the scenario's bus gave out. Needs `serial-counter`. */
  setLastSerial?(serial: number): Promise<void>;
  /**
   * Unloads the module and loads it again with the parameter kbus_num_devices = `devices`
   * (left at the module's default when undefined). Needs `module-load`; call it before opening
   * any Ksock.
   */
  loadModule?(devices?: number): Promise<void>;
  /**
   * Ends the scenario. Returns how many Ksocks it left open (they are closed now), so that
   * a scenario that forgets to close is reported rather than silently cleaned up.
   */
  end(): Promise<{ leftOpen: number }>;
}

export interface Adapter {
  /** Shown in reports, e.g. `reference` or `kernel /dev/kbus0`. */
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly pointerSize: PointerSize;
  /** Device limits, read from the implementation rather than assumed. */
  limits(): Promise<{ absoluteMaxMessageSize: number; defaultMaxMessageSize: number; defaultMaxMessages: number }>;
  /** Implementation details for reports: e.g. kernel release, device path. */
  describe(): Promise<Record<string, string>>;
  /**
   * A clean bus for one scenario. `needs` are the capabilities the scenario asked for: with
   * `fresh-device` among them its buses must be devices nobody has used yet.
   */
  beginScenario(needs?: ReadonlySet<Capability>): Promise<ScenarioBuses>;
  /** Releases everything the adapter holds. */
  dispose(): Promise<void>;
}

/** What an adapter module exports (a user's own adapter included). */
export interface AdapterModule {
  createAdapter(options: AdapterOptions): Promise<Adapter> | Adapter;
}

export interface AdapterOptions {
  /** e.g. `/dev/kbus0` for the kernel adapter. */
  device?: string;
  /** Worker index under `--parallel`, so each worker can take its own bus. */
  workerId?: number;
  [key: string]: unknown;
}
