/**
 * Bounds every call the suite makes through an adapter: a call that does not answer in time
 * breaks its scenario with an error naming the call, and is reported as a device that stopped
 * answering, which ends the run (adapters/device-stall.ts).
 *
 * A timer here bounds the calls that give control back to the event loop; the part of a call
 * that blocks the thread (the kernel adapter's system calls) is bounded by the watchdog thread.
 */

import type { Adapter, Bus, Ksock, ScenarioBuses } from './adapter';
import { reportStall, scenarioInProgress, unwatchBlockingCalls, watchBlockingCalls, watched } from './device-stall';

/** Half cucumber's step timeout, so that the operation, not the step, is named when a device stalls. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

/** Overrides the default, e.g. for a slow remote implementation or a test that wants stalls found fast. */
export const OPERATION_TIMEOUT_ENV = 'KBUS_OPERATION_TIMEOUT_MS';

/** A call that did not settle in time: not a verdict on a promise, so the scenario is reported broken. */
export class OperationTimeout extends Error {
  override name = 'OperationTimeout';

  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} did not answer within ${timeoutMs} ms`);
  }
}

/** What each Ksock method is called in reports: the ioctl's name where it is one. */
const KSOCK_OPERATIONS: { [M in keyof Required<Ksock>]: string | ((...args: Parameters<Required<Ksock>[M]>) => string) } = {
  write: 'write',
  read: 'read',
  send: 'SEND',
  discard: 'DISCARD',
  nextMsg: 'NEXTMSG',
  lenLeft: 'LENLEFT',
  bind: 'BIND',
  unbind: 'UNBIND',
  bindRaw: (_name, _nameLen, _replier, unbind) => (unbind ? 'UNBIND' : 'BIND'),
  replierOf: 'REPLIER',
  replierQuery: 'REPLIER',
  ksockId: 'KSOCKID',
  lastSent: 'LASTSENT',
  maxMsgs: 'MAXMSGS',
  numMsgs: 'NUMMSGS',
  unrepliedTo: 'UNREPLIEDTO',
  msgOnlyOnce: 'MSGONLYONCE',
  verbose: 'VERBOSE',
  reportReplierBinds: 'REPORTREPLIERBINDS',
  maxMsgSize: 'MAXMSGSIZE',
  newDevice: 'NEWDEVICE',
  reset: 'RESET',
  poll: 'poll',
  close: 'close',
  allocate: 'allocate',
  writeHeader: 'write',
  rawIoctl: (request) => `ioctl 0x${(request >>> 0).toString(16)}`,
  ioctlWithBadPointer: (request) => `ioctl 0x${(request >>> 0).toString(16)}`,
};

/** How reports refer to each bounded Ksock: its scenario name once the World gives one. */
const labels = new WeakMap<Ksock, string>();

/** Lets timeout messages call a Ksock by the name the scenario gave it. */
export function nameKsock(ksock: Ksock, name: string): void {
  if (labels.has(ksock)) labels.set(ksock, JSON.stringify(name));
}

/** A duration in milliseconds from the environment variable `name`, or `fallback` when unset. */
export function millisecondsFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`${name} must be a whole number of milliseconds, not "${text}"`);
  return ms;
}

export function operationTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return millisecondsFromEnv(OPERATION_TIMEOUT_ENV, DEFAULT_OPERATION_TIMEOUT_MS, env);
}

/** The adapter with every call bounded by `timeoutMs` (a poll by its own timeout plus `timeoutMs`). */
export function bounded(adapter: Adapter, timeoutMs: number = operationTimeoutFromEnv()): Adapter {
  watchBlockingCalls(timeoutMs);
  const who = `the ${adapter.name} adapter`;
  const call = <T>(operation: string, run: () => Promise<T>) => within(operation, timeoutMs, run);
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    pointerSize: adapter.pointerSize,
    limits: () => call(`limits() of ${who}`, () => adapter.limits()),
    describe: () => call(`describe() of ${who}`, () => adapter.describe()),
    beginScenario: async (needs) => boundedBuses(await call(`beginScenario() of ${who}`, () => adapter.beginScenario(needs)), timeoutMs),
    dispose: async () => {
      try {
        await call(`dispose() of ${who}`, () => adapter.dispose());
      } finally {
        await unwatchBlockingCalls();
      }
    },
  };
}

function boundedBuses(buses: ScenarioBuses, ms: number): ScenarioBuses {
  const secondBus = buses.secondBus?.bind(buses);
  const procBindings = buses.procBindings?.bind(buses);
  const procStats = buses.procStats?.bind(buses);
  const setLastSerial = buses.setLastSerial?.bind(buses);
  const loadModule = buses.loadModule?.bind(buses);
  return {
    bus: boundedBus(buses.bus, ms),
    ...(secondBus && { secondBus: async () => boundedBus(await within('opening a second bus', ms, secondBus), ms) }),
    openDevice: (number, mode) => boundedOpen(number, ms, () => buses.openDevice(number, mode)),
    ...(procBindings && { procBindings: () => within('reading /proc/kbus/bindings', ms, procBindings) }),
    ...(procStats && { procStats: () => within('reading /proc/kbus/stats', ms, procStats) }),
    ...(setLastSerial && { setLastSerial: (serial: number) => within('setting the serial counter', ms, () => setLastSerial(serial)) }),
    ...(loadModule && { loadModule: (devices?: number) => within('loading the module', ms, () => loadModule(devices)) }),
    end: () => within('closing the Ksocks the scenario left open', ms, () => buses.end()),
  };
}

function boundedBus(bus: Bus, ms: number): Bus {
  return {
    number: bus.number,
    open: (mode) => boundedOpen(bus.number, ms, () => bus.open(mode)),
  };
}

async function boundedOpen(device: number, ms: number, open: () => Promise<Ksock>): Promise<Ksock> {
  return boundedKsock(await within(`open of kbus${device}`, ms, open), `a Ksock on kbus${device}`, ms);
}

function boundedKsock(ksock: Ksock, label: string, ms: number): Ksock {
  const wrapped: Partial<Record<keyof Ksock, unknown>> = {};
  for (const [method, name] of Object.entries(KSOCK_OPERATIONS) as [keyof Ksock, string | ((...args: unknown[]) => string)][]) {
    const f = ksock[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof f !== 'function') continue;
    wrapped[method] = (...args: unknown[]) => {
      const operation = typeof name === 'string' ? name : name(...args);
      // A poll may wait as long as it was asked to before it has to answer.
      const bound = method === 'poll' ? Math.max(0, Number(args[1]) || 0) + ms : ms;
      return within(`${operation} on ${labels.get(result)}`, bound, () => f.apply(ksock, args));
    };
  }
  const result = wrapped as unknown as Ksock;
  labels.set(result, label);
  return result;
}

/** Calls that ran into their bound and have not settled since. */
let abandoned = 0;

/**
 * How many calls ran into their bound and are still running. An adapter whose calls run on
 * threads (the kernel adapter) leaves such a thread stuck in the device, and Node's exit
 * waits for its threads: a process with abandoned calls must end with `_exit` instead.
 */
export function abandonedCalls(): number {
  return abandoned;
}

/**
 * Whether `call` settles within `ms`: for checking that a call KBUS promises never waits (read,
 * write, SEND) does not. A call that blocks the thread instead is timed as it returns; one that
 * never answers at all is a device that stopped answering, which its own bound reports.
 */
export async function settlesWithin(call: () => Promise<unknown>, ms: number): Promise<boolean> {
  const started = performance.now();
  const settled = call().then(
    () => true,
    () => true,
  );
  const left = ms - (performance.now() - started);
  if (left < 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), left)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles as `run()` does, or rejects with {@link OperationTimeout} after `ms`. */
function within<T>(operation: string, ms: number, run: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    // A referenced timer: a call that never settles must not let the process end as if all went well.
    const timer = setTimeout(() => {
      timedOut = true;
      abandoned++;
      const scenario = scenarioInProgress();
      // The CLI stops the run now; its scenario must not go on meanwhile, as if the call had
      // failed, nor the next one begin.
      if (reportStall({ ...(scenario !== undefined ? { scenario } : {}), operation, timeoutMs: ms })) return;
      reject(new OperationTimeout(operation, ms));
    }, ms);
    const settled = () => {
      clearTimeout(timer);
      if (timedOut) abandoned--;
    };
    let pending: Promise<T>;
    try {
      pending = watched(operation, ms, run);
    } catch (e) {
      pending = Promise.reject(e);
    }
    Promise.resolve(pending).then(
      (value) => {
        settled();
        resolve(value);
      },
      (e: unknown) => {
        settled();
        reject(e);
      },
    );
  });
}
