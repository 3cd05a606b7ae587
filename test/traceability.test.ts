/**
 * Traceability between the requirements index and the features: every testable behaviour has
 * a scenario, every scenario says which behaviours, spec section and level it speaks for, and
 * names are unique (reports keep history by name). This is the gate for a complete suite.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BEHAVIOUR_TAG, Behaviour, LEVELS, PROMISES, SPEC_SLUGS, behaviour, requirements } from '../requirements';
import { type Area, readSpecification } from '../cli/spec/features';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** A scenario or outline as written, with every tag it inherits (feature, rule, examples). */
interface WrittenScenario {
  name: string;
  where: string;
  tags: Set<string>;
}

/** Every Rule names the behaviour ids it states, and its scenarios carry exactly those. */
function ruleProblems(areas: readonly Area[]): string[] {
  const problems: string[] = [];
  for (const rule of areas.flatMap((a) => a.rules).filter((r) => r.written)) {
    const at = `${rule.where} Rule "${rule.title}"`;
    if (rule.ids.length === 0) problems.push(`${at}: names no behaviour id`);
    const stated = [...rule.ids].sort().join(' ');
    for (const e of rule.examples) {
      const carried = [...e.ids].sort().join(' ');
      if (carried !== stated) problems.push(`${e.where} "${e.name}": carries ${carried || 'no id'}, its rule ${stated || 'none'}`);
    }
  }
  return problems;
}

const root = packageRoot(__dirname);
const specification = readSpecification(root);
const scenarios: WrittenScenario[] = specification.flatMap((a) => a.rules.flatMap((r) => r.examples.map((e) => ({ name: e.name, where: e.where, tags: new Set(e.tags) }))));
const ids = (s: WrittenScenario) => [...s.tags].filter((t) => BEHAVIOUR_TAG.test(t)).map((t) => t.slice(1));
const prefixed = (s: WrittenScenario, prefix: string) => [...s.tags].filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
/** Fails with one line per problem, rather than a diff of two arrays. */
function expectNone(problems: string[], heading: string): void {
  if (problems.length > 0) assert.fail(`${problems.length} ${heading}:\n  ${problems.join('\n  ')}`);
}

test('the index lists each behaviour once, with a known spec section and level', () => {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const b of requirements.behaviours) {
    if (seen.has(b.id)) problems.push(`${b.id}: listed twice`);
    seen.add(b.id);
    if (!(SPEC_SLUGS as readonly string[]).includes(b.spec)) problems.push(`${b.id}: unknown spec section ${b.spec}`);
    if (!LEVELS.includes(b.level)) problems.push(`${b.id}: unknown level ${b.level}`);
    if (b.area !== b.id.replace(/-\d+$/, '')) problems.push(`${b.id}: area ${b.area} does not match its id`);
  }
  expectNone(problems, 'problem(s) in the index');
  assert.deepEqual(requirements.promises.map((p) => p.name).sort(), [...PROMISES].sort());
});

test('every testable behaviour has a scenario', () => {
  const covered = new Set(scenarios.flatMap(ids));
  const missing = requirements.behaviours.filter((b) => !b.untestable && !covered.has(b.id)).map((b) => `${b.id}  ${b.summary}`);
  expectNone(missing, 'behaviour(s) without a scenario');
});

test('scenarios tag only behaviour ids the index knows', () => {
  const unknown = scenarios.flatMap((s) => ids(s).filter((id) => !behaviour(id)).map((id) => `${s.where} "${s.name}": @${id}`));
  expectNone(unknown, 'tag(s) naming no behaviour of the index');
});

test('every scenario carries a behaviour id, a known spec section and a level', () => {
  const problems: string[] = [];
  for (const s of scenarios) {
    const at = `${s.where} "${s.name}"`;
    if (ids(s).length === 0) problems.push(`${at}: no behaviour id tag`);
    const specs = prefixed(s, '@spec:');
    if (specs.length === 0) problems.push(`${at}: no @spec: tag`);
    for (const slug of specs) if (!(SPEC_SLUGS as readonly string[]).includes(slug)) problems.push(`${at}: unknown @spec:${slug}`);
    if (!LEVELS.some((l) => s.tags.has(`@${l}`))) problems.push(`${at}: no level tag (@${LEVELS.join(', @')})`);
    for (const p of prefixed(s, '@promise:')) if (!(PROMISES as readonly string[]).includes(p)) problems.push(`${at}: unknown @promise:${p}`);
  }
  expectNone(problems, 'scenario(s) with missing or unknown tags');
});

test('scenario and outline names are unique across the suite', () => {
  const where = new Map<string, string[]>();
  for (const s of scenarios) where.set(s.name, [...(where.get(s.name) ?? []), s.where]);
  const repeated = [...where].filter(([, at]) => at.length > 1).map(([name, at]) => `"${name}" at ${at.join(', ')}`);
  expectNone(repeated, 'name(s) used more than once');
});

test('the module deviates exactly where the index says, and scenarios asserting the spec there say so', () => {
  const problems: string[] = [];
  const tagged = scenarios.filter((s) => s.tags.has('@spec-over-module'));
  for (const b of requirements.behaviours) {
    if (!b.specOverModule !== !b.moduleDeviation) problems.push(`${b.id}: specOverModule and moduleDeviation go together`);
    if (b.specOverModule && !tagged.some((s) => ids(s).includes(b.id))) problems.push(`${b.id}: no scenario tagged @spec-over-module`);
  }
  for (const s of tagged) {
    if (!ids(s).some((id) => behaviour(id)?.specOverModule)) problems.push(`${s.where} "${s.name}": @spec-over-module, yet none of its ids is specOverModule in the index`);
  }
  expectNone(problems, 'problem(s) with @spec-over-module');
});

test('every seed promise is demonstrated by a scenario', () => {
  const shown = new Set(scenarios.flatMap((s) => prefixed(s, '@promise:')));
  const missing = PROMISES.filter((p) => !shown.has(p));
  expectNone(missing, 'seed promise(s) without a scenario');
});

/** The tag marking a scenario that passes under an adapter whatever the implementation does. */
const CANNOT_FAIL = '@cannot-fail-under:';

/**
 * Behaviour ids all of whose scenarios are marked unable to fail under some adapter, where the
 * index does not say why: under that adapter the behaviour is untested, and reports must say so.
 */
export function unsaidVacuity(written: readonly WrittenScenario[], index: readonly Pick<Behaviour, 'id' | 'cannotFailUnder'>[]): string[] {
  const problems: string[] = [];
  for (const b of index) {
    const mine = written.filter((s) => ids(s).includes(b.id));
    if (mine.length === 0) continue;
    const adapters = new Set(mine.flatMap((s) => prefixed(s, CANNOT_FAIL)));
    for (const adapter of adapters) {
      const everyOne = mine.every((s) => s.tags.has(`${CANNOT_FAIL}${adapter}`));
      if (everyOne && !b.cannotFailUnder?.[adapter]) problems.push(`${b.id}: every scenario is tagged ${CANNOT_FAIL}${adapter}, and the index's cannotFailUnder.${adapter} does not say why`);
    }
  }
  return problems;
}

test('a behaviour whose every scenario cannot fail under some adapter says so in the index', () => {
  expectNone(unsaidVacuity(scenarios, requirements.behaviours), 'behaviour(s) silently untested under an adapter');
});

test('the vacuity check catches a behaviour whose only scenarios cannot fail under an adapter', () => {
  const only = { name: 'Reporting starts off', where: 'x.feature:1', tags: new Set(['@RBE-01', `${CANNOT_FAIL}kernel`]) };
  const other = { name: 'Reporting on a new device', where: 'x.feature:9', tags: new Set(['@RBE-01']) };
  assert.equal(unsaidVacuity([only], [{ id: 'RBE-01' }]).length, 1);
  assert.deepEqual(unsaidVacuity([only], [{ id: 'RBE-01', cannotFailUnder: { kernel: 'the adapter switches reporting off before each scenario' } }]), []);
  assert.deepEqual(unsaidVacuity([only, other], [{ id: 'RBE-01' }]), []);
});

test('a behaviour that needs a capability has every scenario tagged with it', () => {
  const problems = requirements.behaviours
    .filter((b) => b.needs)
    .flatMap((b) => scenarios.filter((s) => ids(s).includes(b.id) && !s.tags.has(`@needs:${b.needs}`)).map((s) => `${s.where} "${s.name}": ${b.id} needs @needs:${b.needs}`));
  expectNone(problems, 'scenario(s) missing the capability their behaviour needs');
});

test('every Rule names its behaviour ids and its scenarios carry exactly those', () => {
  expectNone(ruleProblems(specification), 'problem(s) with Rules');
});

test('the Rule check passes Rules that say what they cover and catches those that do not', () => {
  const fixtures = path.join(root, 'test', 'fixtures', 'rules');
  const kept = readSpecification(root, path.join(fixtures, 'kept'));
  assert.deepEqual(kept.flatMap((a) => a.rules.map((r) => [r.title, r.ids.join(' '), r.examples.length])), [
    ["An urgent message goes to the front of each recipient's queue", 'URG-01', 2],
    ['Urgent messages waiting together come out newest first', 'URG-02', 1],
  ]);
  assert.deepEqual(ruleProblems(kept), []);
  assert.deepEqual(ruleProblems(readSpecification(root, path.join(fixtures, 'broken'))), [
    `test/fixtures/rules/broken/urgent.feature:5 Rule "An urgent message goes to the front of each recipient's queue": names no behaviour id`,
    `test/fixtures/rules/broken/urgent.feature:10 "An urgent message overtakes an announcement (its rule names no id)": carries URG-01, its rule none`,
    `test/fixtures/rules/broken/urgent.feature:22 "An urgent request keeps its flag (under the wrong rule)": carries URG-02 URG-03, its rule URG-02`,
  ]);
});
