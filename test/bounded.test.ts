/**
 * adapters/bounded.ts: a call that never answers is cut off with an error naming it and the
 * Ksock; a poll may use all of its own timeout first; answers and refusals pass through.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Adapter, Ksock } from '../adapters/adapter';
import { OperationTimeout, abandonedCalls, bounded, nameKsock, operationTimeoutFromEnv, DEFAULT_OPERATION_TIMEOUT_MS } from '../adapters/bounded';
import { createAdapter as createReference } from '../adapters/reference';
import { KbusError } from '../wire/errno';
import { createAdapter as createFaulty } from './fixtures/faulty-adapter';

async function openNamed(adapter: Adapter, name: string): Promise<{ ksock: Ksock; end: () => Promise<{ leftOpen: number }> }> {
  const buses = await adapter.beginScenario();
  const ksock = await buses.bus.open('rw');
  nameKsock(ksock, name);
  return { ksock, end: () => buses.end() };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('bounded adapter calls', () => {
  it('a call that never answers rejects with OperationTimeout naming the operation and the Ksock', async () => {
    const { ksock, end } = await openNamed(bounded(createFaulty({ stall: 'nextMsg' }), 50), 'bob');
    const started = Date.now();
    const e = await rejection(ksock.nextMsg());
    assert.ok(e instanceof OperationTimeout);
    assert.equal(e.message, 'NEXTMSG on "bob" did not answer within 50 ms');
    assert.ok(Date.now() - started < 1000);
    assert.equal(await ksock.numMsgs(), 0, 'the other calls still answer');
    assert.deepEqual(await end(), { leftOpen: 1 });
  });

  it('a call cut off counts as abandoned until it settles after all (a process must not wait for it at exit)', async () => {
    let answer!: () => void;
    const late = new Promise<void>((resolve) => (answer = resolve));
    const reference = createReference();
    // NUMMSGS answers only once the test lets it: long after its bound.
    const slow: Adapter = {
      ...reference,
      beginScenario: async () => {
        const buses = await reference.beginScenario();
        const open = async (mode: 'r' | 'rw') => {
          const k = await buses.bus.open(mode);
          return new Proxy(k, {
            get: (target, p: keyof Ksock) =>
              p === 'numMsgs' ? () => late.then(() => target.numMsgs()) : typeof target[p] === 'function' ? (target[p] as () => unknown).bind(target) : target[p],
          });
        };
        return { bus: { number: buses.bus.number, open }, openDevice: (n, mode) => buses.openDevice(n, mode), end: () => buses.end() };
      },
    };
    const before = abandonedCalls();
    const { ksock, end } = await openNamed(bounded(slow, 20), 'carol');
    assert.ok((await rejection(ksock.numMsgs())) instanceof OperationTimeout);
    assert.equal(abandonedCalls(), before + 1);
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(abandonedCalls(), before);
    await end();
  });

  it('a stalled poll is given its own timeout plus the bound', async () => {
    const { ksock, end } = await openNamed(bounded(createFaulty({ stall: 'poll' }), 50), 'alice');
    const started = Date.now();
    const e = await rejection(ksock.poll({ readable: true }, 200));
    assert.match(String(e), /OperationTimeout: poll on "alice" did not answer within 250 ms/);
    assert.ok(Date.now() - started >= 240);
    await end();
  });

  it('a poll that waits its whole timeout is not cut short', async () => {
    const { ksock, end } = await openNamed(bounded(createReference(), 20), 'alice');
    assert.deepEqual(await ksock.poll({ readable: true }, 150), { readable: false, writable: true });
    await end();
  });

  it('refusals stay KbusErrors and values pass through', async () => {
    const { ksock, end } = await openNamed(bounded(createReference(), 1000), 'alice');
    const e = await rejection(ksock.bind('not a name', false));
    assert.ok(e instanceof KbusError);
    assert.equal(e.errno, 'EBADMSG');
    assert.equal(await ksock.ksockId(), 1);
    await ksock.close();
    assert.deepEqual(await end(), { leftOpen: 0 });
  });

  it('a Ksock the scenario never named is called by its bus', async () => {
    const buses = await bounded(createFaulty({ stall: 'lenLeft' }), 10).beginScenario();
    const ksock = await buses.bus.open('r');
    assert.match(String(await rejection(ksock.lenLeft())), /LENLEFT on a Ksock on kbus0 did not answer within 10 ms/);
    await buses.end();
  });

  it('the bound comes from KBUS_OPERATION_TIMEOUT_MS when set', () => {
    assert.equal(operationTimeoutFromEnv({}), DEFAULT_OPERATION_TIMEOUT_MS);
    assert.equal(operationTimeoutFromEnv({ KBUS_OPERATION_TIMEOUT_MS: '750' }), 750);
    assert.throws(() => operationTimeoutFromEnv({ KBUS_OPERATION_TIMEOUT_MS: 'soon' }), /whole number of milliseconds/);
  });
});
