/**
 * What a mutant is: the reference device with one decision of its policy broken, named by the
 * promise it breaks and the behaviour ids that promise formalises, so that the runner can say
 * which scenarios catch it.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Adapter, AdapterModule, AdapterOptions } from '../adapters/adapter';
import { createAdapter as createReferenceAdapter } from '../adapters/reference';
import type { KbusPolicy } from '../reference/policy';

export interface Mutant extends AdapterModule {
  /** The promise this variant breaks, in one line. */
  readonly breaks: string;
  /** The behaviour ids (behaviours.md) whose scenarios ought to catch it. */
  readonly behaviours: readonly string[];
  createAdapter(options: AdapterOptions): Adapter;
  /** The broken policy alone, for serving the mutant as a device (through FUSE). */
  createPolicy(): KbusPolicy;
}

export function defineMutant(spec: { breaks: string; behaviours: string[]; policy: new () => KbusPolicy }): Mutant {
  return {
    breaks: spec.breaks,
    behaviours: spec.behaviours,
    createAdapter: (options) => createReferenceAdapter({ ...options, policy: new spec.policy(), name: `mutant ${spec.policy.name}` }),
    createPolicy: () => new spec.policy(),
  };
}

/** Whether a loaded module is a mutant (the runner's folder also holds the runner itself). */
export function isMutant(mod: unknown): mod is Mutant {
  const m = mod as Partial<Mutant> | null;
  return typeof m?.breaks === 'string' && Array.isArray(m.behaviours) && typeof m.createAdapter === 'function';
}

/** The runners' own modules, never mutants: loading one would start it (or load cucumber for nothing). */
const RUNNER_FILES = new Set(['run.js', 'suite-run.js', 'define.js', 'verdict.js', 'through-fuse.js', 'explore.js']);

/** Every mutant in this folder (compiled), by name, in name order. */
export function mutantModules(): { name: string; file: string; mutant: Mutant }[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && !RUNNER_FILES.has(f))
    .sort()
    .flatMap((f) => {
      const file = path.join(__dirname, f);
      const mod: unknown = require(file);
      return isMutant(mod) ? [{ name: f.replace(/\.js$/, ''), file, mutant: mod }] : [];
    });
}
