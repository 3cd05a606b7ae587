/**
 * A run the device stopped: a call that did not answer is reported in a file
 * (adapters/device-stall.ts), which the CLI watches from a process that makes no device calls.
 * The run then ends at once: the scenario that met the stall is broken, and every scenario
 * selected that had not finished is reported as not run, in every report.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readStall, STALL_FILE_ENV, stallLine, type Stall } from '../adapters/device-stall';
import type { Scenario, ScenarioResult } from './outcomes';

/** How often the file is looked for: small beside any call's bound. */
const LOOK_MS = 50;

export class StallWatch {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-run-'));
  private readonly timer: NodeJS.Timeout;
  /** Settles with the first stall of the run; never, if there is none. */
  readonly stalled: Promise<Stall>;

  constructor() {
    const file = path.join(this.dir, 'stall.json');
    // Cucumber's worker processes inherit it.
    process.env[STALL_FILE_ENV] = file;
    let seen!: (stall: Stall) => void;
    this.stalled = new Promise((resolve) => (seen = resolve));
    this.timer = setInterval(() => {
      const stall = readStall(file);
      if (stall) seen(stall);
    }, LOOK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    delete process.env[STALL_FILE_ENV];
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Results for the selected scenarios that did not finish before the run was stopped. */
export function unfinishedResults(stall: Stall, selected: readonly Scenario[], finished: readonly ScenarioResult[]): ScenarioResult[] {
  const place = (s: Scenario) => `${s.uri}:${s.line}`;
  const done = new Set(finished.map(place));
  let stalledFound = false;
  return selected
    .filter((s) => !done.has(place(s)))
    .map((s): ScenarioResult => {
      if (!stalledFound && s.name === stall.scenario) {
        stalledFound = true;
        return { ...s, outcome: 'broken', seconds: 0, message: stallLine(stall) };
      }
      const where = stall.scenario === undefined ? '' : ` in "${stall.scenario}"`;
      return { ...s, outcome: 'not-run', seconds: 0, message: `the device stopped answering${where}` };
    });
}
