/** Where the installed package lives, and its version: features, steps and reports are found from here. */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** dist/cli/ sits two levels below the package root. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export const SUITE_NAME = 'kbus-conformance';

export const SUITE_VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Paths under the current directory are shown relative to it, as users would type them. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
