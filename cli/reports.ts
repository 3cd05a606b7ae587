/** Where a run's reports go and which cucumber formatter writes each. */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALLURE_CONFIG, ALLURE_REPORT, ALLURE_RESULTS } from './allure';
import { UsageError } from './exit-codes';
import type { RunOptions } from './options';
import { displayPath, SUITE_NAME } from './package';

export const ENVELOPE_FILE = 'kbus-conformance.json';
const JUNIT_FILE = 'junit.xml';

/** The Allure formatter writes its own files into the results folder; its stream says nothing. */
const NOWHERE = '/dev/null';

export interface ReportPlan {
  dir: string;
  allureResults: string;
  envelope: string;
  /** Written by the CLI from its own verdicts (cli/junit.ts), not by cucumber. */
  junit: string;
  /** Output file (absolute) → cucumber formatter. */
  files: Record<string, string>;
  /** The user's formatter for stdout, if they asked for one. */
  stdoutFormat?: string;
}

/**
 * Removes what an earlier run wrote into the reports folder, so that whatever a run leaves
 * there describes that run: a run that ends early leaves none, never an earlier verdict.
 */
export function clearReports(dir: string): void {
  try {
    for (const name of [ALLURE_RESULTS, ALLURE_REPORT, ALLURE_CONFIG, ENVELOPE_FILE, JUNIT_FILE, 'cucumber.ndjson', 'cucumber.html']) {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
    fs.mkdirSync(path.join(dir, ALLURE_RESULTS), { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot write reports to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (pass --reports with a writable folder)`);
  }
}

/** Where this run's reports go; clearReports has made room for them. */
export function planReports(options: Pick<RunOptions, 'reportsDir' | 'formats'>): ReportPlan {
  const dir = options.reportsDir;
  const allureResults = path.join(dir, ALLURE_RESULTS);
  const files: Record<string, string> = {
    [path.join(dir, 'cucumber.ndjson')]: 'message',
    [path.join(dir, 'cucumber.html')]: 'html',
    [NOWHERE]: path.join(__dirname, 'allure-formatter.js'),
  };
  for (const [formatter, target] of options.formats) if (target !== undefined) files[target] = formatter;
  return {
    dir,
    allureResults,
    envelope: path.join(dir, ENVELOPE_FILE),
    junit: path.join(dir, JUNIT_FILE),
    files,
    stdoutFormat: options.formats.find(([, target]) => target === undefined)?.[0],
  };
}

/** The lines of the summary that say where everything was written. */
export function reportListing(plan: ReportPlan): string[] {
  const written = [plan.junit, ...Object.keys(plan.files).filter((f) => f !== NOWHERE), plan.allureResults, plan.envelope];
  const reportsOption = plan.dir === path.resolve('reports') ? '' : ` --reports ${displayPath(plan.dir)}`;
  return [
    'Reports:',
    ...written.map((f) => `  ${displayPath(f)}`),
    `  (HTML from the Allure results: npx ${SUITE_NAME} report${reportsOption})`,
  ];
}
