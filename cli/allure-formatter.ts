/**
 * allure-cucumberjs with the suite's tag-to-label mapping. The mapping needs regular
 * expressions, which cucumber's (JSON) format options cannot carry, so it is added here.
 */

import type { Formatter, IFormatterOptions } from '@cucumber/cucumber';
import { ALLURE_LABELS } from './allure';

// The package's types sit behind its exports map, which this project's "node" resolution cannot
// read; its CommonJS build exports the class itself rather than a `default`.
const AllureCucumberReporter = require('allure-cucumberjs/reporter') as typeof Formatter;

export default class KbusAllureReporter extends AllureCucumberReporter {
  constructor(options: IFormatterOptions) {
    super({ ...options, parsedArgvOptions: { ...options.parsedArgvOptions, labels: ALLURE_LABELS } });
  }
}
