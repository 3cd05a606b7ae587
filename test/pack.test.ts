/**
 * The package as users get it: `npm pack`, install the tarball into an empty project, run
 * `npx kbus-conformance` there. Catches a `files` list that leaves out something the run needs.
 * The one slow test: it packs what `npm test` built (without rebuilding: other test files run
 * from dist/ meanwhile), installs (from npm's cache when it can) and runs the whole suite.
 */

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { ENVELOPE_FILE } from '../cli/reports';
import { PACKAGE_ROOT } from '../cli/package';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-pack-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

it('runs from the packed package installed in an empty project', { timeout: 600_000 }, () => {
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], PACKAGE_ROOT)) as { filename: string }[];
  const tarball = path.join(scratch, packed[0]!.filename);
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);

  const run = spawnSync('npx', ['--no-install', 'kbus-conformance', '--quiet'], { cwd: app, encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^CONFORMING: reference: \d+ passed/m);
  assert.ok(fs.existsSync(path.join(app, 'reports', ENVELOPE_FILE)));
  assert.ok(fs.existsSync(path.join(app, 'reports', 'allure-results', 'environment.properties')));
  const results = path.join(app, 'reports', 'allure-results');
  const one = fs.readdirSync(results).find((f) => f.endsWith('-result.json'))!;
  const result = JSON.parse(fs.readFileSync(path.join(results, one), 'utf8')) as { fullName: string; titlePath: string[] };
  assert.match(result.fullName, /^kbus-conformance:features\//, "the suite's scenarios keep the suite's name, not the project's it runs in");
  assert.equal(result.titlePath[0], 'kbus-conformance');
});
