/**
 * Writes Allure results as plain files. The default writer of allure-js-commons makes each file
 * durable (a temporary file, fsync, rename); a run writes a few thousand small files that the
 * next run replaces anyway, and that durability cost about 2 s of a 5 s suite run.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestResult, TestResultContainer } from 'allure-js-commons';

// A subpath export, which this project's module resolution cannot type: its one function, typed here.
const { stringifyEnvInfo } = require('allure-js-commons/sdk/reporter') as { stringifyEnvInfo(info: Record<string, string>): string };

/** Implements allure-js-commons' `Writer`. */
class PlainFileWriter {
  constructor(private readonly config: { resultsDir: string }) {
    fs.mkdirSync(config.resultsDir, { recursive: true });
  }

  private file(name: string): string {
    return path.join(this.config.resultsDir, name);
  }

  writeResult(result: TestResult): void {
    fs.writeFileSync(this.file(`${result.uuid}-result.json`), JSON.stringify(result));
  }

  writeGroup(result: TestResultContainer): void {
    fs.writeFileSync(this.file(`${result.uuid}-container.json`), JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    fs.writeFileSync(this.file(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    fs.copyFileSync(from, this.file(distFileName));
  }

  writeEnvironmentInfo(info: Record<string, string>): void {
    fs.writeFileSync(this.file('environment.properties'), stringifyEnvInfo(info));
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
