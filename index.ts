/**
 * kbus-conformance as a library: the reference KBUS implementation to test clients against
 * without a kernel, the wire format, the adapter interface and the reference adapter.
 */

export * from './reference';
export * from './wire/constants';
export * from './wire/errno';
export * from './wire/message';
export * from './wire/names';
export * from './wire/ioctl';
export type {
  Adapter,
  AdapterModule,
  AdapterOptions,
  Bus,
  Capability,
  Ksock as AdapterKsock,
  OpenMode as AdapterOpenMode,
  PollResult,
  ScenarioBuses,
  UserBuffer,
} from './adapters/adapter';
export { createAdapter } from './adapters/reference';
export type { ReferenceAdapterOptions } from './adapters/reference';
