/**
 * poll: whether a Ksock is readable or writable right now, and bounded waits for it to become
 * so. A wait may be started before the event that ends it and collected later, which is how a
 * scenario shows that a waiting poll wakes up rather than merely seeing the state afterwards.
 */

import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { PollResult } from '../adapters/adapter';
import { KbusWorld, SetupError } from './world';

type Readiness = 'readable' | 'writable';

/** Waits started by `starts waiting`, per scenario and Ksock, collected by `the wait of`. */
const waits = new WeakMap<KbusWorld, Map<string, { want: Readiness; timeoutMs: number; result: Promise<{ at: number; result: PollResult | Error }> }>>();

/**
 * A wait must end within this fraction of its timeout after the event: one that merely times
 * out and then finds the Ksock ready has not been woken.
 */
const WAKE_FRACTION = 0.1;

/** The Ksock the last `retries its waiting send by polling` step polled. */
const polled = new WeakMap<KbusWorld, string>();

function look(world: KbusWorld, who: string, want: Readiness): Promise<PollResult> {
  return world.ksock(who).poll({ [want]: true }, 0);
}

Then(/^"([^"]+)" is (not )?(readable|writable)$/, async function (this: KbusWorld, who: string, not: string | undefined, want: Readiness) {
  const now = await look(this, who, want);
  expect(now[want], `"${who}" ${want} (poll)`).to.equal(!not);
});

When('{string} retries its waiting send by polling for up to {int} ms', async function (this: KbusWorld, who: string, ms: number) {
  polled.set(this, who);
  await this.attempt(() => this.ksock(who).poll({ writable: true }, ms));
});

Then(/^the poll found "([^"]+)" (not )?writable$/, function (this: KbusWorld, who: string, not: string | undefined) {
  if (polled.get(this) !== who || !this.outcome) throw new SetupError(`"${who}" has not been polled`);
  if (!this.outcome.ok) expect.fail(`poll of "${who}" failed with ${this.outcome.error.errno}`);
  expect((this.outcome.value as PollResult).writable, `"${who}" writable after the poll`).to.equal(!not);
});

When(/^"([^"]+)" starts waiting up to (\d+) ms to become (readable|writable)$/, function (this: KbusWorld, who: string, ms: string, want: Readiness) {
  const started = waits.get(this) ?? new Map();
  if (started.has(who)) throw new SetupError(`"${who}" is already waiting`);
  // Not awaited: the event that should end the wait happens in the following steps.
  const result = this.ksock(who)
    .poll({ [want]: true }, Number(ms))
    .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
    .then((r) => ({ at: performance.now(), result: r }));
  started.set(who, { want, timeoutMs: Number(ms), result });
  waits.set(this, started);
});

Then(/^the wait of "([^"]+)" ends promptly with it (readable|writable)$/, async function (this: KbusWorld, who: string, want: Readiness) {
  const eventDone = performance.now();
  const wait = waits.get(this)?.get(who);
  if (!wait) throw new SetupError(`"${who}" has not started waiting`);
  waits.get(this)!.delete(who);
  if (wait.want !== want) throw new SetupError(`"${who}" was waiting to become ${wait.want}, not ${want}`);
  const { at, result } = await wait.result;
  if (result instanceof Error) throw result;
  const late = Math.round(at - eventDone);
  expect(late, `ms the wait of "${who}" went on after the event (timeout ${wait.timeoutMs} ms)`).to.be.at.most(wait.timeoutMs * WAKE_FRACTION);
  expect(result[want], `"${who}" ${want} when its wait ended`).to.equal(true);
});
