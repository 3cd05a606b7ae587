/**
 * Bad input to the CLI: each mistake a user can make on the command line is answered with one
 * line on stderr naming it, and exit 2, before anything runs.
 */

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './cli-run';

const FEATURE = `@area:fixture
Feature: bad input fixture

  @NAME-06 @spec:message-names @core
  Scenario: bad input: a one-word name can be bound
    Given a Ksock "alice"
    When "alice" binds as a listener to "$.Fred"
    Then it succeeds
`;

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-bad-input-test-'));
  fs.writeFileSync(path.join(dir, 'fixture.feature'), FEATURE);
  fs.writeFileSync(path.join(dir, 'no-create.js'), 'exports.adapter = {};\n');
  fs.writeFileSync(path.join(dir, 'not-an-adapter.js'), 'exports.createAdapter = () => ({ name: "half an adapter" });\n');
  fs.writeFileSync(path.join(dir, 'throws.js'), 'throw new Error("cannot start\\nsecond line");\n');
  fs.writeFileSync(path.join(dir, 'needs-missing.js'), 'require("no-such-dependency");\nexports.createAdapter = () => ({});\n');
  fs.writeFileSync(path.join(dir, 'typed.ts'), 'export function createAdapter(options: { device?: string }) {}\n');
  fs.writeFileSync(path.join(dir, 'deviations-unknown.txt'), '# an id the suite lacks\nSYN-99\n');
  fs.writeFileSync(path.join(dir, 'deviations-binary.txt'), Buffer.from([0x00, 0xff, 0x1b, 0x0a, 0x80, 0x0a]));
  fs.writeFileSync(path.join(dir, 'deviations-empty.txt'), '# nothing listed\n\n');
  fs.mkdirSync(path.join(dir, 'deviations-folder'));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const CASES: { what: string; args: string[]; says: RegExp }[] = [
  { what: 'an unknown option', args: ['--colour'], says: /unknown option --colour/ },
  { what: 'an option without its value', args: ['--reports'], says: /--reports\b.* needs a value/ },
  { what: 'a tag expression that does not parse', args: ['--tags', '@core and ('], says: /tag expression "@core and \(/ },
  { what: 'a tag expression with a dangling operator', args: ['--tags', 'not'], says: /tag expression "not"/ },
  { what: 'a known-deviations file that is missing', args: ['--known-deviations', 'nope.txt'], says: /known deviations .*nope\.txt: no such file/ },
  { what: 'a known-deviations file naming nothing in the suite', args: ['--known-deviations', 'deviations-unknown.txt'], says: /deviations-unknown\.txt:2: .*SYN-99/ },
  { what: 'a known-deviations file of binary junk', args: ['--known-deviations', 'deviations-binary.txt'], says: /deviations-binary\.txt:1: / },
  { what: 'a known-deviations file with no entries', args: ['--known-deviations', 'deviations-empty.txt'], says: /deviations-empty\.txt: no entries/ },
  { what: 'a known-deviations path that is a folder', args: ['--known-deviations', 'deviations-folder'], says: /known deviations .*deviations-folder: / },
  { what: 'an adapter module that does not exist', args: ['--adapter', './no-such-adapter.js'], says: /no-such-adapter\.js/ },
  { what: 'an adapter module without createAdapter', args: ['--adapter', './no-create.js'], says: /does not export createAdapter/ },
  {
    what: 'an adapter module whose createAdapter returns no adapter',
    args: ['--adapter', './not-an-adapter.js'],
    says: /not-an-adapter\.js/,
  },
  { what: 'an adapter module that throws when loaded', args: ['--adapter', './throws.js'], says: /throws\.js failed to load: cannot start$/m },
  {
    what: 'an adapter module that requires a module that is not installed',
    args: ['--adapter', './needs-missing.js'],
    says: /needs-missing\.js failed to load: it requires no-such-dependency, which cannot be found/,
  },
  { what: 'a misspelt built-in adapter', args: ['--adapter', 'refrence'], says: /no adapter "refrence": the built-in adapters are reference, kernel, remote;/ },
  { what: 'an adapter written in TypeScript', args: ['--adapter', './typed.ts'], says: /typed\.ts failed to load: .*compiled to JavaScript first/ },
  { what: 'a --device that is a folder', args: ['--device', '.'], says: /--device .* is a directory: pass a KBUS device/ },
  { what: 'a formatter that does not exist', args: ['--format', 'nosuchformatter'], says: /formatter nosuchformatter/ },
  { what: 'a --parallel that is not a count', args: ['--parallel', '0'], says: /--parallel needs a whole number/ },
  { what: 'a --timeout that is not a duration', args: ['--timeout', 'soon'], says: /--timeout needs a number of minutes/ },
  { what: 'a feature path that does not exist', args: ['no-such.feature'], says: /no such feature file or folder: .*no-such\.feature/ },
];

describe('bad input to the CLI', () => {
  for (const { what, args, says } of CASES) {
    it(`${what}: one line, exit 2`, async () => {
      // The fixture first, so that an option missing its value is last on the line.
      const r = await runCli(['--quiet', ...(args.includes('no-such.feature') ? [] : ['fixture.feature']), ...args], { cwd: dir, boundMs: 30_000 });
      assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^kbus-conformance: [^\n]+\n$/, 'exactly one line on stderr');
      assert.match(r.stderr, says);
    });
  }
});
