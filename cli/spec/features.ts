/**
 * The features read as a specification: areas, each a list of rules, each rule a requirement
 * with its example scenarios. A `Rule:` block is a rule as written; scenarios outside any Rule
 * are grouped by the behaviour ids they carry, the requirements index stating the rule, so the
 * features read the same way before and after they are written with Rules.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { BEHAVIOUR_TAG, LEVELS, behaviour } from '../../requirements';
import { UsageError } from '../exit-codes';
import { AREA_TAG, areaOf, type Scenario } from '../outcomes';
import { backgroundText, scenarioText } from './gherkin-text';

const SPEC_TAG = '@spec:';

/** The parts of gherkin's AST the specification reads. */
interface Tagged {
  tags: readonly { name: string }[];
}
interface Located {
  location: { line: number };
}
export interface RowAst {
  cells: readonly { value: string }[];
}
export interface StepAst {
  keyword: string;
  text: string;
  dataTable?: { rows: readonly RowAst[] };
  docString?: { delimiter: string; mediaType?: string; content: string };
}
export interface BackgroundAst {
  keyword: string;
  name: string;
  description: string;
  steps: readonly StepAst[];
}
export interface ScenarioAst extends Tagged, Located {
  id: string;
  keyword: string;
  name: string;
  description: string;
  steps: readonly StepAst[];
  examples: readonly (Tagged & { keyword: string; name: string; tableHeader?: RowAst; tableBody: readonly RowAst[] })[];
}
interface RuleAst extends Tagged, Located {
  name: string;
  description: string;
  children: readonly { background?: BackgroundAst; scenario?: ScenarioAst }[];
}

/** A scenario or outline as written: one example of its rule. */
export interface Example {
  name: string;
  /** `features/names.feature:12` */
  where: string;
  /** Every tag it carries, inherited ones (feature, rule, examples) included. */
  tags: string[];
  ids: string[];
  /** What cucumber runs from it: one scenario, or one per row of an outline. */
  runs: Scenario[];
  /** The scenario in readable Gherkin, without the tags its rule already states. */
  text: string;
}

export interface Rule {
  /** Unique in the document, for links. */
  anchor: string;
  title: string;
  ids: string[];
  levels: string[];
  sections: string[];
  /** The requirement in a sentence or two. */
  statement: string;
  /** A `Rule:` block, or scenarios grouped by their behaviour ids. */
  written: boolean;
  where: string;
  /** The Rule's own Background, in Gherkin. */
  background?: string;
  examples: Example[];
}

export interface Area {
  area: string;
  anchor: string;
  title: string;
  description: string;
  uri: string;
  background?: string;
  rules: Rule[];
}

const ids = (tags: readonly string[]) => tags.flatMap((t) => BEHAVIOUR_TAG.exec(t)?.[1] ?? []);
const unique = <T>(items: Iterable<T>) => [...new Set(items)];
const tagNames = (tags: readonly { name: string }[]) => tags.map((t) => t.name);

function featureFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return featureFiles(p);
      return e.name.endsWith('.feature') ? [p] : [];
    })
    .sort();
}

/** Every feature under `dir` (paths in the result relative to `root`), in file name order. */
export function readSpecification(root: string, dir = path.join(root, 'features')): Area[] {
  const anchors = new Set<string>();
  const unused = (wanted: string) => {
    let anchor = wanted;
    for (let n = 2; anchors.has(anchor); n++) anchor = `${wanted}-${n}`;
    anchors.add(anchor);
    return anchor;
  };
  return featureFiles(dir).flatMap((file) => readFeature(root, file, unused) ?? []);
}

function readFeature(root: string, file: string, unused: (anchor: string) => string): Area | undefined {
  const uri = path.relative(root, file).split(path.sep).join('/');
  let n = 0;
  const newId = () => String(n++);
  let document;
  try {
    document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`feature file does not parse: ${uri}: ${(e as Error).message.split('\n')[0]}`);
  }
  const feature = document.feature;
  if (!feature) return undefined;

  const featureTags = tagNames(feature.tags);
  const area = areaOf(featureTags, uri);
  // Pickles carry the names cucumber runs (an outline's rows) and the inherited tags.
  const runsOf = new Map<string, Scenario[]>();
  for (const p of compile(document, uri, newId)) {
    const tags = tagNames(p.tags);
    const run: Scenario = { pickleId: p.id, name: p.name, uri, file, line: p.location?.line ?? 0, area, ids: ids(tags), tags };
    runsOf.set(p.astNodeIds[0]!, [...(runsOf.get(p.astNodeIds[0]!) ?? []), run]);
  }
  const example = (s: ScenarioAst, inherited: readonly string[], stated: readonly string[]): Example => {
    const runs = runsOf.get(s.id) ?? [];
    const tags = unique([...featureTags, ...inherited, ...tagNames(s.tags), ...s.examples.flatMap((e) => tagNames(e.tags))]);
    // The rule's header states its ids, level and section; its examples need not repeat them.
    const hidden = new Set([...featureTags, ...stated]);
    return { name: s.name, where: `${uri}:${s.location.line}`, tags, ids: ids(tags), runs, text: scenarioText(s, (t) => !hidden.has(t)) };
  };

  const rules: Rule[] = [];
  const loose: ScenarioAst[] = [];
  let background: string | undefined;
  for (const child of feature.children) {
    if (child.background) background = backgroundText(child.background);
    if (child.scenario) loose.push(child.scenario);
    if (child.rule) rules.push(writtenRule(child.rule, uri, featureTags, example, unused));
  }
  rules.unshift(...derivedRules(loose, uri, featureTags, example, unused));
  return {
    area,
    anchor: unused(`area-${area}`),
    title: feature.name,
    description: dedent(feature.description),
    uri,
    ...(background ? { background } : {}),
    rules,
  };
}

type ExampleOf = (s: ScenarioAst, inherited: readonly string[], stated: readonly string[]) => Example;

function writtenRule(rule: RuleAst, uri: string, featureTags: string[], example: ExampleOf, unused: (a: string) => string): Rule {
  const tags = [...featureTags, ...tagNames(rule.tags)];
  const ruleIds = ids(tags);
  const background = rule.children.find((c) => c.background)?.background;
  return {
    anchor: unused(`rule-${ruleIds.join('-') || slug(rule.name)}`),
    title: rule.name,
    ids: ruleIds,
    levels: levelsOf(tags),
    sections: sectionsOf(tags),
    statement: dedent(rule.description),
    written: true,
    where: `${uri}:${rule.location.line}`,
    ...(background ? { background: backgroundText(background) } : {}),
    examples: rule.children.flatMap((c) => (c.scenario ? [example(c.scenario, tagNames(rule.tags), tagNames(rule.tags))] : [])),
  };
}

/** Scenarios outside any Rule, one rule per set of behaviour ids, in the order they first appear. */
function derivedRules(scenarios: ScenarioAst[], uri: string, featureTags: string[], example: ExampleOf, unused: (a: string) => string): Rule[] {
  const groups = new Map<string, { ids: string[]; scenarios: ScenarioAst[] }>();
  for (const s of scenarios) {
    const own = ids([...featureTags, ...tagNames(s.tags), ...s.examples.flatMap((e) => tagNames(e.tags))]);
    const key = own.join(' ');
    const group = groups.get(key) ?? { ids: own, scenarios: [] };
    group.scenarios.push(s);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ ids: ruleIds, scenarios: members }) => {
    const tags = unique(members.flatMap((s) => [...featureTags, ...tagNames(s.tags)]));
    const summaries = ruleIds.map((id) => behaviour(id)?.summary ?? '');
    return {
      anchor: unused(`rule-${ruleIds.join('-') || 'untagged'}`),
      title: ruleIds.join(', ') || 'Scenarios without a behaviour id',
      ids: ruleIds,
      levels: levelsOf(tags),
      sections: sectionsOf(tags),
      statement: summaries.filter((s) => s).join(' '),
      written: false,
      where: `${uri}:${members[0]!.location.line}`,
      examples: members.map((s) => example(s, [], stateTags(tags))),
    };
  });
}

/** The tags a rule's header shows: ids, level, spec section. */
function stateTags(tags: readonly string[]): string[] {
  return tags.filter((t) => BEHAVIOUR_TAG.test(t) || t.startsWith(SPEC_TAG) || t.startsWith(AREA_TAG) || LEVELS.some((l) => t === `@${l}`));
}

function levelsOf(tags: readonly string[]): string[] {
  return LEVELS.filter((l) => tags.includes(`@${l}`));
}

function sectionsOf(tags: readonly string[]): string[] {
  return unique(tags.filter((t) => t.startsWith(SPEC_TAG)).map((t) => t.slice(SPEC_TAG.length)));
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'rule';
}

/** Gherkin keeps a description's indentation; a reader wants the text. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n').trim();
}
