/**
 * Consistency checks over a whole system, for tests to run after every operation: they hold
 * whatever the sequence of calls, so a violation is a bug in the reference, not in its caller.
 */

import { LIMITS } from '../wire/constants';
import type { Binding } from './bindings';
import type { Device } from './device';
import type { Ksock } from './ksock';
import type { KbusSystem } from './system';

/** Every violated invariant, as a sentence; empty when all hold. */
export function invariantViolations(system: KbusSystem): string[] {
  const problems: string[] = [];
  for (let n = 0; n < system.deviceCount; n++) checkDevice(system.device(n), problems);
  return problems;
}

function checkDevice(device: Device, problems: string[]): void {
  const where = `kbus${device.number}`;
  if (device.maxMessageSize < LIMITS.MIN_SETTABLE_MAX_MSG_SIZE || device.maxMessageSize > device.absoluteMaxMessageSize) {
    problems.push(`${where}: MAXMSGSIZE ${device.maxMessageSize} outside its range`);
  }
  let bindings = 0;
  let setAside = 0;
  for (const [id, k] of device.ksocks) {
    if (k.id !== id || k.closed) problems.push(`${where}: Ksock ${id} is listed but is ${k.closed ? 'closed' : `Ksock ${k.id}`}`);
    bindings += k.bindings.length;
    setAside += device.setAside.countFor(k);
    checkKsock(k, `${where} Ksock ${id}`, problems);
  }
  if (bindings !== device.bindings.size) problems.push(`${where}: ${device.bindings.size} bindings indexed, Ksocks hold ${bindings}`);
  if (setAside !== device.setAside.size) problems.push(`${where}: set-aside list holds ${device.setAside.size}, per-Ksock counts sum to ${setAside}`);
  if (device.setAside.size > LIMITS.SET_ASIDE_EVENTS + device.ksocks.size) {
    problems.push(`${where}: set-aside list holds ${device.setAside.size} events, more than its limit plus one loss notice per Ksock`);
  }
}

function checkKsock(k: Ksock, where: string, problems: string[]): void {
  let count = 0;
  let previous = null;
  const owed = new Map<Binding, number>();
  for (const copy of k.queue) {
    count++;
    if (copy.prev !== previous) problems.push(`${where}: queue links broken at copy ${count}`);
    if (copy.binding) owed.set(copy.binding, (owed.get(copy.binding) ?? 0) + 1);
    previous = copy;
  }
  if (count !== k.queue.length) problems.push(`${where}: queue length ${k.queue.length} but ${count} copies linked`);
  if (k.reserved < 0) problems.push(`${where}: ${k.reserved} reply slots reserved`);
  if (k.reserved !== k.awaitingCount()) problems.push(`${where}: ${k.reserved} reply slots reserved for ${k.awaitingCount()} outstanding requests`);
  const current = k.currentMessage();
  if (current && (current.position < 0 || current.position > current.bytes.length)) {
    problems.push(`${where}: read position ${current.position} outside a ${current.bytes.length}-byte message`);
  }
  if (k.sending && k.writer.started) problems.push(`${where}: writing a new message while in sending state`);
  if (k.sending && k.mode !== 'rw') problems.push(`${where}: read-only Ksock in sending state`);
  for (const [b, n] of owed) if (b.queued !== n) problems.push(`${where}: binding ${b.name} counts ${b.queued} queued copies, the queue holds ${n}`);
  for (const b of k.bindings) {
    if (!b.active || b.owner !== k) problems.push(`${where}: holds ${b.active ? "another Ksock's" : 'a removed'} binding ${b.name}`);
    if (b.queued !== (owed.get(b) ?? 0)) problems.push(`${where}: binding ${b.name} counts ${b.queued} queued copies, the queue holds ${owed.get(b) ?? 0}`);
    if (b.replier && k.device.bindings.replierNamed(b.name) !== b) problems.push(`${where}: replier binding ${b.name} is not the device's replier for it`);
  }
}
