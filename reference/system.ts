/**
 * A KBUS system: the devices one kernel module would provide. Device 0 exists from the start;
 * NEWDEVICE adds the next number, up to 256 devices in all.
 */

import { LIMITS, PointerSize } from '../wire/constants';
import { KbusError } from '../wire/errno';
import { Device } from './device';
import type { Ksock, OpenMode, UserMemory } from './ksock';
import { KbusPolicy } from './policy';
import { renderBindings, renderStats } from './proc';

export interface SystemOptions {
  /** MAXMSGSIZE of a new device (the Kconfig default is 1024). */
  defaultMaxMessageSize?: number;
  /** The most MAXMSGSIZE may be set to (the Kconfig default is 1024; the original test build used 409600). */
  absoluteMaxMessageSize?: number;
  /** The ABI of the clients: 8 (x86_64, aarch64) or 4 (i386, 32-bit ARM). */
  pointerSize?: PointerSize;
  /** How many devices exist from the start (kbus_num_devices), 1 to 256. */
  devices?: number;
  /** The decisions the devices make; override one method to build a variant. */
  policy?: KbusPolicy;
  /** The process id /proc/kbus/bindings shows for Ksocks opened without one. */
  pid?: number;
}

export interface OpenOptions {
  /** Needed to send pointy messages: where SEND reads their name and data. */
  memory?: UserMemory;
  pid?: number;
}

export class KbusSystem {
  private readonly devices: Device[] = [];
  readonly pointerSize: PointerSize;
  readonly defaultMaxMessageSize: number;
  readonly absoluteMaxMessageSize: number;
  readonly policy: KbusPolicy;
  private readonly pid: number;

  constructor(options: SystemOptions = {}) {
    this.pointerSize = options.pointerSize ?? 8;
    this.absoluteMaxMessageSize = options.absoluteMaxMessageSize ?? LIMITS.ABS_MAX_MSG_SIZE;
    this.policy = options.policy ?? new KbusPolicy();
    this.defaultMaxMessageSize = this.policy.defaultMaxMessageSize(options.defaultMaxMessageSize ?? Math.min(LIMITS.DEFAULT_MAX_MSG_SIZE, this.absoluteMaxMessageSize));
    this.pid = options.pid ?? process.pid;
    const devices = this.policy.devicesAtLoad(options.devices ?? 1);
    if (this.pointerSize !== 4 && this.pointerSize !== 8) throw new KbusError('EINVAL', 'configure', `pointer size ${this.pointerSize}`);
    if (this.defaultMaxMessageSize < LIMITS.MIN_SETTABLE_MAX_MSG_SIZE || this.defaultMaxMessageSize > this.absoluteMaxMessageSize) {
      throw new KbusError('EINVAL', 'configure', `default message size ${this.defaultMaxMessageSize} outside ${LIMITS.MIN_SETTABLE_MAX_MSG_SIZE}..${this.absoluteMaxMessageSize}`);
    }
    if (!(devices >= 1 && devices <= LIMITS.MAX_DEVICES)) throw new KbusError('EINVAL', 'configure', `${devices} devices`);
    for (let i = 0; i < devices; i++) this.newDevice();
  }

  /** Device `number`; ENOENT when it does not exist (there is no /dev/kbusN to open). */
  device(number: number): Device {
    const device = this.devices[number];
    if (!device) throw new KbusError('ENOENT', 'open', `no device kbus${number}`);
    return device;
  }

  get deviceCount(): number {
    return this.devices.length;
  }

  open(number: number, mode: OpenMode = 'rw', options: OpenOptions = {}): Ksock {
    return this.device(number).open(mode, options.pid ?? this.pid, options.memory);
  }

  /** NEWDEVICE: the next device number, EINVAL once there are 256. */
  newDevice(): Device {
    if (this.devices.length >= LIMITS.MAX_DEVICES) throw new KbusError('EINVAL', 'NEWDEVICE', `at most ${LIMITS.MAX_DEVICES} devices`);
    const device = new Device(this, this.devices.length, this.pointerSize, this.absoluteMaxMessageSize, this.defaultMaxMessageSize, this.policy);
    this.devices.push(device);
    return device;
  }

  /** The text of /proc/kbus/bindings. */
  procBindings(): string {
    return renderBindings(this.devices);
  }

  /** The text of /proc/kbus/stats. */
  procStats(): string {
    return renderStats(this.devices);
  }
}
