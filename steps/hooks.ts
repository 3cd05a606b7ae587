/**
 * Scenario lifecycle: a clean bus before, and after, every Ksock closed, leaks reported,
 * and the message trace attached when the scenario did not pass.
 */

import { After, AfterAll, Before, Status, setDefaultTimeout } from '@cucumber/cucumber';
import type { Capability } from '../adapters/adapter';
import { millisecondsFromEnv } from '../adapters/bounded';
import { scenarioBegins } from '../adapters/device-stall';
import { KbusWorld, disposeWorkerAdapter, workerAdapter } from './world';

// Generous for a device, short enough that a stalled implementation fails its scenario; an
// emulated machine (the module lab's VM) may need it longer.
setDefaultTimeout(millisecondsFromEnv('KBUS_STEP_TIMEOUT_MS', 10_000));

const NEEDS = '@needs:';

Before(async function (this: KbusWorld, { pickle }) {
  scenarioBegins(pickle.name);
  // Before anything reaches the implementation, which this scenario would crash or wedge.
  const notRun = this.parameters.notRun?.[pickle.name];
  if (notRun !== undefined) {
    this.log(`not run: ${notRun}`);
    return 'skipped';
  }
  this.adapter = await workerAdapter(this.parameters);
  const needs = new Set(
    pickle.tags
      .map((t) => t.name)
      .filter((t) => t.startsWith(NEEDS))
      .map((t) => t.slice(NEEDS.length) as Capability),
  );
  const missing = [...needs].filter((c) => !this.adapter.capabilities.has(c));
  if (missing.length > 0) {
    const adapter = /\badapter$/.test(this.adapter.name) ? this.adapter.name : `${this.adapter.name} adapter`;
    this.log(`skipped: the ${adapter} does not provide ${missing.join(', ')}`);
    return 'skipped';
  }
  this.buses = await this.adapter.beginScenario(needs);
  return undefined;
});

After(async function (this: KbusWorld, { result }) {
  if (!this.buses) return;
  if (result && result.status !== Status.PASSED && result.status !== Status.SKIPPED && this.trace.length > 0) {
    this.attach(this.traceText(), { mediaType: 'text/plain', fileName: 'message trace' });
  }
  const leftOpen = await this.endScenario();
  if (leftOpen > 0) throw new Error(`the scenario left ${leftOpen} Ksock(s) open that the steps did not know about`);
});

AfterAll(async function () {
  await disposeWorkerAdapter();
});
