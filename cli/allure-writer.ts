/**
 * Writes Allure results as plain files. The default writer of allure-js-commons makes each file
 * durable (a temporary file, fsync, rename); a run writes a few thousand small files that the
 * next run replaces anyway, and that cost about 2 s of a 5 s suite run. Results and containers
 * are held until the CLI has given them their final touches (cli/allure.ts), so that each is
 * written once; attachments are written as they come.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestResult, TestResultContainer } from 'allure-js-commons';

// A subpath export, which this project's module resolution cannot type: its one function, typed here.
const { stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as { stringifyEnvInfo(info: Record<string, string>): string };

/** What a run's writer holds back, by results folder; formatters run in the CLI's own process. */
const held = new Map<string, { results: TestResult[]; containers: TestResultContainer[] }>();

/** Implements allure-js-commons' `Writer`. */
class PlainFileWriter {
  /** Hands over (and forgets) the results and containers held for a results folder. */
  static take(resultsDir: string): { results: TestResult[]; containers: TestResultContainer[] } {
    const run = held.get(resultsDir) ?? { results: [], containers: [] };
    held.delete(resultsDir);
    return run;
  }

  private readonly run = { results: [] as TestResult[], containers: [] as TestResultContainer[] };

  constructor(private readonly config: { resultsDir: string }) {
    fs.mkdirSync(config.resultsDir, { recursive: true });
    held.set(config.resultsDir, this.run);
  }

  private file(name: string): string {
    return path.join(this.config.resultsDir, name);
  }

  writeResult(result: TestResult): void {
    this.run.results.push(result);
  }

  writeGroup(result: TestResultContainer): void {
    this.run.containers.push(result);
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    fs.writeFileSync(this.file(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    fs.copyFileSync(from, this.file(distFileName));
  }

  writeEnvironmentInfo(info: Record<string, string>): void {
    PlainFileWriter.writeEnvironment(this.config.resultsDir, info);
  }

  /** environment.properties, which the CLI writes itself once the run's verdict is known. */
  static writeEnvironment(resultsDir: string, info: Record<string, string>): void {
    fs.writeFileSync(path.join(resultsDir, 'environment.properties'), stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: unknown[]): void {
    fs.writeFileSync(this.file('categories.json'), JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: unknown): void {
    fs.writeFileSync(this.file(distFileName), JSON.stringify(info));
  }
}

// allure-js-commons instantiates a writer given as [module path, ...constructor arguments].
export = PlainFileWriter;
