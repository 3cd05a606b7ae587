/**
 * A new user's first run with an adapter of their own: the README's "Your own adapter" example
 * saved as my-adapter.js in a clone of this repository (which is what PACKAGE_ROOT is here),
 * where `require('kbus-conformance')` resolves through package.json's `exports` to the clone
 * itself; then the Allure report of that run, read in headless Chromium as a release manager
 * would read it.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../cli/package';
import { runCli } from './cli-run';

const readme = fs.readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
const example = /```js\n(\/\/ my-adapter\.js\n[\s\S]*?)```/.exec(readme)?.[1];

const folder = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.readme-adapter-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const chromium = spawnSync('chromium', ['--version'], { encoding: 'utf8' });
const noChromium = chromium.error ? `no chromium to read the report with (${chromium.error.message}): apt-get install chromium` : false;

describe("the README's own adapter, run from a clone", () => {
  it('runs, and the suite catches its defect', async () => {
    assert.ok(example, 'the README has a my-adapter.js example');
    fs.writeFileSync(path.join(folder, 'my-adapter.js'), example);
    const r = await runCli(['--adapter', './my-adapter.js', '--area', 'urgent', '--quiet'], { cwd: folder, boundMs: 120_000 });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^NOT CONFORMING: reference with empty queues: .*; selection: \d+ of \d+ scenarios \(--area urgent\)$/m);
  });

  it('the Allure report of that run says NOT CONFORMING, the implementation and the selection at the top', { skip: noChromium }, async () => {
    const built = await runCli(['report'], { cwd: folder, boundMs: 120_000 });
    assert.equal(built.code, 0, built.stderr);
    const page = visibleText(dumpDom(path.join(folder, 'reports', 'allure-report', 'index.html')));
    const heading = page.find((line) => line.startsWith('KBUS conformance'));
    assert.match(heading ?? page.slice(0, 5).join(' | '), /^KBUS conformance: NOT CONFORMING: reference with empty queues, \d+ of \d+ scenarios \(--area urgent\)$/);
    assert.ok(page.indexOf('verdict') >= 0 && page[page.indexOf('verdict') + 1] === 'NOT CONFORMING', 'the metadata starts with the verdict');
  });
});

/** The page as headless Chromium renders it from the file system, scripts run. */
function dumpDom(file: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-chromium-'));
  try {
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
    const r = spawnSync('chromium', [...args, `--user-data-dir=${profile}`, '--virtual-time-budget=30000', '--dump-dom', `file://${file}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 90_000,
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function visibleText(html: string): string[] {
  return html
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/g, '')
    .split(/<[^>]+>/)
    .map((t) => t.trim())
    .filter(Boolean);
}
