/**
 * What the user sees while the suite runs: on a terminal one line redrawn in place (done/total
 * and failures so far), failures printed above it as they happen; elsewhere (CI logs) one plain
 * line per scenario.
 */

import { isUnexpected, type ScenarioResult } from './outcomes';
import { displayPath } from './package';

export type ProgressMode = 'tty' | 'lines' | 'off';

const LABEL: Record<ScenarioResult['outcome'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  broken: 'BROKEN',
  skipped: 'skipped',
  'expected-failure': 'expected failure',
  'unexpected-pass': 'UNEXPECTED PASS',
  'not-run': 'not run',
};

export class Progress {
  private done = 0;
  private problems = 0;
  private readonly width: number;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly total: number,
    private readonly mode: ProgressMode,
  ) {
    this.width = String(total).length;
  }

  start(implementation: string): void {
    if (this.mode === 'off') return;
    this.out.write(`Running ${this.total} scenario${this.total === 1 ? '' : 's'} against ${implementation}\n`);
    if (this.mode === 'tty') this.redraw();
  }

  scenarioFinished(result: ScenarioResult): void {
    this.done++;
    if (isUnexpected(result.outcome)) this.problems++;
    if (this.mode === 'lines') {
      this.out.write(`[${String(this.done).padStart(this.width)}/${this.total}] ${describe(result)}\n`);
    } else if (this.mode === 'tty') {
      if (isUnexpected(result.outcome)) this.out.write(`\r\x1b[2K${describe(result)}\n`);
      this.redraw();
    }
  }

  finish(): void {
    if (this.mode === 'tty') this.out.write('\r\x1b[2K');
  }

  private redraw(): void {
    const problems = this.problems === 0 ? 'no failures' : `${this.problems} failed`;
    this.out.write(`\r\x1b[2K${String(this.done).padStart(this.width)}/${this.total} scenarios, ${problems}`);
  }
}

function describe(r: ScenarioResult): string {
  const head = `${LABEL[r.outcome].padEnd(16)} ${r.area}: ${r.name}`;
  if (!isUnexpected(r.outcome)) return head;
  const why = (r.message ?? '').split('\n').slice(0, 3).map((l) => `      ${l}`);
  return [head, `      at ${displayPath(r.file)}:${r.line}`, ...why].join('\n');
}
