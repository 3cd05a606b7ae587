/**
 * The World of a scenario: the adapter under test, the scenario's buses, the Ksocks it opened
 * by name, the outcome of the last action, and a trace of every message each Ksock sent and
 * received (attached to failed scenarios so a reader sees what happened on the bus).
 */

import { IWorldOptions, World, setWorldConstructor } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { Adapter, Bus, Ksock, OpenMode, ScenarioBuses } from '../adapters/adapter';
import { bounded, nameKsock } from '../adapters/bounded';
import { loadAdapter } from '../adapters/load';
import { FLAG, FlagName } from '../wire/constants';
import { KbusError, errnoOf } from '../wire/errno';
import { Message, MessageId, MessageInit, decodeEntire, encodeEntire } from '../wire/message';
import { TraceEntry, traceText, traced } from './trace';

/** An error that is not a verdict on the implementation: a setup step could not do its job. */
export class SetupError extends Error {
  override name = 'SetupError';
}

export interface WorldParameters {
  adapter?: string;
  device?: string;
  adapterOptions?: Record<string, unknown>;
  /** Scenario name → why it must not be started: a known deviation says it crashes or wedges this implementation. */
  notRun?: Record<string, string>;
}

/** What a `When` step did: a value, or the errno it was refused with. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: KbusError };

let sharedAdapter: Promise<Adapter> | undefined;

/** One adapter per worker process, created on first use and disposed after the run. */
export function workerAdapter(parameters: WorldParameters): Promise<Adapter> {
  sharedAdapter ??= loadAdapter(parameters.adapter ?? 'reference', {
    device: parameters.device,
    workerId: Number(process.env.CUCUMBER_WORKER_ID ?? 0),
    ...(parameters.adapterOptions ?? {}),
  }).then((adapter) => bounded(adapter));
  return sharedAdapter;
}

export async function disposeWorkerAdapter(): Promise<void> {
  if (!sharedAdapter) return;
  const adapter = await sharedAdapter.catch(() => undefined);
  sharedAdapter = undefined;
  await adapter?.dispose();
}

export class KbusWorld extends World<WorldParameters> {
  adapter!: Adapter;
  buses!: ScenarioBuses;
  private readonly ksocks = new Map<string, Ksock>();
  private readonly ksockIds = new Map<string, number>();
  /** The id of each Ksock's most recent successful or id-consuming send. */
  readonly lastSent = new Map<string, MessageId>();
  /** The id of each Ksock's most recent successful send of each name, keyed `sender\nkind\nname` (see {@link sentKey}). */
  readonly sentByName = new Map<string, MessageId>();
  /** Every id each Ksock's sends were given, oldest first (serial arithmetic needs the previous one). */
  readonly sentIds = new Map<string, MessageId[]>();
  /** The last message each Ksock read, for replying to it and for field checks. */
  readonly lastRead = new Map<string, Message>();
  /** The bytes of that message exactly as read, for layout checks. */
  readonly lastReadBytes = new Map<string, Buffer>();
  outcome?: Outcome;
  readonly trace: TraceEntry[] = [];
  private otherBus?: Bus;

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  get pointerSize() {
    return this.adapter.pointerSize;
  }

  /** Opens a Ksock on the scenario's bus (or the second bus, or a device by number) and remembers its id. */
  async open(name: string, mode: OpenMode = 'rw', on: 'first' | 'second' | number = 'first'): Promise<Ksock> {
    if (this.ksocks.has(name)) throw new SetupError(`a Ksock named "${name}" is already open`);
    const ksock = await this.setup(`open ${name} on ${typeof on === 'number' ? `kbus${on}` : `the ${on} bus`}`, async () => {
      if (typeof on === 'number') return this.buses.openDevice(on, mode);
      return (on === 'first' ? this.buses.bus : await this.secondBus()).open(mode);
    });
    nameKsock(ksock, name);
    this.ksocks.set(name, traced(ksock, name, this.trace));
    this.ksockIds.set(name, await this.setup(`KSOCKID of ${name}`, () => ksock.ksockId()));
    return this.ksocks.get(name)!;
  }

  async secondBus(): Promise<Bus> {
    if (!this.buses.secondBus) throw new SetupError(`the ${this.adapter.name} adapter cannot provide a second bus`);
    this.otherBus ??= await this.setup('second bus', () => this.buses.secondBus!());
    return this.otherBus;
  }

  ksock(name: string): Ksock {
    const k = this.ksocks.get(name);
    if (!k) throw new SetupError(`no Ksock named "${name}" in this scenario`);
    return k;
  }

  /** Closes a named Ksock; it is forgotten whether or not the close succeeds. */
  async close(name: string): Promise<void> {
    const k = this.ksock(name);
    this.ksocks.delete(name);
    await k.close();
  }

  /** The message `who` read last; a scenario that has it read nothing cannot go on. */
  messageReadBy(who: string): Message {
    const m = this.lastRead.get(who);
    if (!m) throw new SetupError(`"${who}" has not read a message`);
    return m;
  }

  /** The id of `who`'s last send; a scenario that has it send nothing cannot go on. */
  idSentBy(who: string): MessageId {
    const id = this.lastSent.get(who);
    if (!id) throw new SetupError(`"${who}" has not sent a message yet`);
    return id;
  }

  /** Names of the Ksocks still open, in the order they were opened. */
  openKsockNames(): string[] {
    return [...this.ksocks.keys()];
  }

  idOf(name: string): number {
    const id = this.ksockIds.get(name);
    if (id === undefined) throw new SetupError(`no Ksock named "${name}" in this scenario`);
    return id;
  }

  /** The Ksock name whose id is `id`, for readable traces and messages. */
  nameOfId(id: number): string | undefined {
    for (const [name, kid] of this.ksockIds) if (kid === id) return name;
    return undefined;
  }

  /** Runs a setup call; an error here means the scenario could not be set up (broken). */
  async setup<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new SetupError(`setup failed: ${what}: ${errnoOf(e)}`);
    }
  }

  /** Runs the action of a `When` step, remembering its value or errno for the `Then` steps. */
  async attempt(fn: () => Promise<unknown>): Promise<Outcome> {
    try {
      this.outcome = { ok: true, value: await fn() };
    } catch (e) {
      if (!(e instanceof KbusError)) throw e;
      this.outcome = { ok: false, error: e };
    }
    return this.outcome;
  }

  /** The outcome of the last `When` step; a `Then` step with nothing to check cannot go on. */
  actionOutcome(): Outcome {
    if (!this.outcome) throw new SetupError('no action was taken');
    return this.outcome;
  }

  /** The value the last action gave, which must not have been refused (`what` names it in the failure). */
  succeededWith(what: string): unknown {
    const o = this.actionOutcome();
    if (!o.ok) expect.fail(`${what} failed with ${o.error.errno}`);
    return o.value;
  }

  /** What the last action said: its value, or the errno it was refused with. */
  outcomeSaid(): unknown {
    const o = this.actionOutcome();
    return o.ok ? o.value : o.error.errno;
  }

  /** Writes a whole message and sends it; records the id on success (and on id-consuming failure). */
  async sendMessage(sender: string, init: MessageInit): Promise<MessageId> {
    const k = this.ksock(sender);
    const bytes = encodeEntire(init, this.pointerSize);
    await k.write(bytes);
    return this.sendWritten(sender, init);
  }

  /** SEND of whatever `sender` has written, the message `written`; records the id on success. */
  async sendWritten(sender: string, written: MessageInit): Promise<MessageId> {
    const id = await this.ksock(sender).send();
    this.recordSent(sender, id, written);
    return id;
  }

  /**
   * Remembers an id a send of `sender` was given (also for failed sends that consumed one),
   * and, when the message is known, under its kind and name.
   */
  recordSent(sender: string, id: MessageId, written?: MessageInit): void {
    if (written) {
      this.sentByName.set(sentKey(sender, 'message', written.name), id);
      this.sentByName.set(sentKey(sender, kindOf(written), written.name), id);
    }
    this.lastSent.set(sender, id);
    const ids = this.sentIds.get(sender) ?? [];
    ids.push(id);
    this.sentIds.set(sender, ids);
  }

  /** NEXTMSG then reads the whole message; null when the queue is empty. */
  async readNext(reader: string): Promise<Message | null> {
    const k = this.ksock(reader);
    const length = await k.nextMsg();
    if (length === 0) return null;
    return this.readCurrent(reader, length);
  }

  /** Reads the rest of the current message, `length` bytes at most, and remembers it as read. */
  async readCurrent(reader: string, length: number): Promise<Message> {
    const k = this.ksock(reader);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = await k.read(length - total);
      if (chunk.length === 0) break;
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) break;
    }
    return this.recordRead(reader, Buffer.concat(chunks));
  }

  /** Decodes the bytes of a message `reader` has read and remembers it as read. */
  recordRead(reader: string, bytes: Buffer): Message {
    const message = decodeEntire(bytes, this.pointerSize);
    this.lastRead.set(reader, message);
    this.lastReadBytes.set(reader, bytes);
    return message;
  }

  /** Closes everything the scenario left open; returns how many that was. */
  async endScenario(): Promise<number> {
    // The Ksocks the steps opened are the scenario's to close; only strays count as left open.
    for (const k of this.ksocks.values()) await k.close().catch(() => undefined);
    this.ksocks.clear();
    const { leftOpen } = await this.buses.end();
    return leftOpen;
  }

  /** The trace as text, attached to a scenario that did not pass. */
  traceText(): string {
    return traceText(this.trace, this.pointerSize, (id) => this.nameOfId(id));
  }
}

export type MessageKind = 'announcement' | 'request' | 'reply';

export function kindOf(m: Pick<MessageInit, 'flags' | 'inReplyTo'>): MessageKind {
  if (m.inReplyTo && (m.inReplyTo.networkId !== 0 || m.inReplyTo.serialNum !== 0)) return 'reply';
  return (m.flags ?? 0) & FLAG.WANT_A_REPLY ? 'request' : 'announcement';
}

/** Key of {@link KbusWorld.sentByName}: `message` stands for a send of any kind. */
export function sentKey(sender: string, kind: MessageKind | 'message', name: string): string {
  return `${sender}\n${kind}\n${name}`;
}

/** Parses `WANT_A_REPLY|URGENT`, `0x10000` or `0`. */
export function parseFlags(text: string): number {
  let flags = 0;
  for (const part of text.split(/\s*[|+,]\s*|\s+and\s+/).filter(Boolean)) {
    if (part in FLAG) flags |= FLAG[part as FlagName];
    else if (/^(0x[0-9a-f]+|\d+)$/i.test(part)) flags |= Number(part);
    else throw new SetupError(`unknown flag "${part}"`);
  }
  return flags >>> 0;
}

setWorldConstructor(KbusWorld);
