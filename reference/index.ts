/** The reference KBUS implementation: in-process devices that behave like the kernel module's. */

export { KbusSystem } from './system';
export type { SystemOptions, OpenOptions } from './system';
export { Device } from './device';
export { Ksock } from './ksock';
export type { OpenMode, UserMemory, PollReadiness, NameArgument } from './ksock';
export { KbusPolicy } from './policy';
export type { SendMode, CopyRole, SyntheticKind, QueueState } from './policy';
export { Binding, BindingIndex } from './bindings';
export type { BindingKind } from './bindings';
export { invariantViolations } from './invariants';
