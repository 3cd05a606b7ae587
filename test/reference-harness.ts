/**
 * Shared by the reference unit tests: a system whose Ksocks check every invariant after each
 * operation and insist that anything they throw is a KbusError, plus message helpers.
 */

import { strict as assert } from 'node:assert';
import { KbusError } from '../wire/errno';
import { Message, MessageId, MessageInit, decodeEntire, encodeEntire } from '../wire/message';
import { invariantViolations } from '../reference/invariants';
import type { Ksock, OpenMode, UserMemory } from '../reference/ksock';
import { KbusSystem, SystemOptions } from '../reference/system';

export class Harness {
  readonly system: KbusSystem;

  constructor(options: SystemOptions = {}) {
    this.system = new KbusSystem(options);
  }

  get pointerSize() {
    return this.system.pointerSize;
  }

  open(mode: OpenMode = 'rw', device = 0, memory?: UserMemory): Ksock {
    return this.checked(() => this.watch(this.system.open(device, mode, { memory })));
  }

  /** Writes an entire message and sends it. */
  send(k: Ksock, init: MessageInit): MessageId {
    k.write(encodeEntire(init, this.pointerSize));
    return k.send();
  }

  /** NEXTMSG and read the whole message; null when the queue is empty. */
  next(k: Ksock): Message | null {
    const length = k.nextMsg();
    return length === 0 ? null : decodeEntire(k.read(length), this.pointerSize);
  }

  drain(k: Ksock): Message[] {
    const all: Message[] = [];
    for (let m = this.next(k); m; m = this.next(k)) all.push(m);
    return all;
  }

  /** Answers a request the replier has read. */
  reply(replier: Ksock, request: Message, init: Partial<MessageInit> = {}): MessageId {
    return this.send(replier, { name: request.name, inReplyTo: request.id, to: request.from, ...init });
  }

  assertInvariants(): void {
    assert.deepEqual(invariantViolations(this.system), []);
  }

  /** Runs an operation, then the invariants; a throw that is not a KbusError fails the test. */
  checked<T>(operation: () => T): T {
    try {
      return operation();
    } catch (e) {
      if (!(e instanceof KbusError)) assert.fail(`threw ${e instanceof Error ? e.stack : String(e)} instead of a KbusError`);
      throw e;
    } finally {
      this.assertInvariants();
    }
  }

  private watch(k: Ksock): Ksock {
    return new Proxy(k, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => this.checked(() => value.apply(target, args));
      },
    });
  }
}

/** Asserts that `operation` is refused with `errno`. */
export function assertErrno(operation: () => unknown, errno: string): void {
  assert.throws(operation, (e: unknown) => {
    assert.ok(e instanceof KbusError, `expected ${errno}, got ${String(e)}`);
    assert.equal(e.errno, errno);
    return true;
  });
}

export function names(messages: readonly Message[]): string[] {
  return messages.map((m) => m.name);
}
