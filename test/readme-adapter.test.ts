/**
 * The README's "Your own adapter" example, run as a new user runs it: saved as my-adapter.js in
 * a clone of this repository (which is what PACKAGE_ROOT is here), where
 * `require('kbus-conformance')` resolves through package.json's `exports` to the clone itself.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { PACKAGE_ROOT } from '../cli/package';
import { runCli } from './cli-run';

const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
const example = /```js\n(\/\/ my-adapter\.js\n[\s\S]*?)```/.exec(readme)?.[1];

const folder = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.readme-adapter-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

it("the README's adapter example runs from a clone and is caught", async () => {
  assert.ok(example, 'the README has a my-adapter.js example');
  fs.writeFileSync(path.join(folder, 'my-adapter.js'), example);
  const r = await runCli(['--adapter', './my-adapter.js', '--area', 'broadcast', '--quiet', '--reports', 'reports'], { cwd: folder });
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^NOT CONFORMING: reference with empty queues: /m);
});
