/**
 * Finds the adapter a run asks for: `reference`, `kernel`, `remote`, or the path of a user's module
 * exporting `createAdapter(options)`.
 */

import * as path from 'node:path';
import type { Adapter, AdapterModule, AdapterOptions } from './adapter';

export const BUILT_IN_ADAPTERS = ['reference', 'kernel', 'remote'] as const;

export class AdapterLoadError extends Error {
  override name = 'AdapterLoadError';
}

function builtInPath(name: string): string | undefined {
  return (BUILT_IN_ADAPTERS as readonly string[]).includes(name) ? path.join(__dirname, name) : undefined;
}

function resolveAdapterModule(spec: string, cwd: string = process.cwd()): string {
  return builtInPath(spec) ?? path.resolve(cwd, spec);
}

/** What the suite uses of an adapter; checked so that a wrong module fails in one line, not in every scenario. */
const ADAPTER_MEMBERS = ['name', 'capabilities', 'pointerSize', 'limits', 'describe', 'beginScenario', 'dispose'] as const;

export async function loadAdapter(spec: string, options: AdapterOptions = {}, cwd?: string): Promise<Adapter> {
  const mod = requireAdapter(spec, resolveAdapterModule(spec, cwd));
  if (typeof mod.createAdapter !== 'function') {
    throw new AdapterLoadError(`${spec} does not export createAdapter(options): see the README's "Your own adapter"`);
  }
  const adapter = (await mod.createAdapter(options)) as Partial<Adapter> | null | undefined;
  const missing = ADAPTER_MEMBERS.filter((m) => adapter?.[m] === undefined);
  if (missing.length > 0) {
    throw new AdapterLoadError(`${spec}: createAdapter(options) did not return an adapter (missing ${missing.join(', ')})`);
  }
  return adapter as Adapter;
}

/**
 * Whether the adapter's own file is missing is decided before loading it: once it loads, a
 * MODULE_NOT_FOUND is about something the adapter requires, and names that instead.
 */
function requireAdapter(spec: string, file: string): Partial<AdapterModule> {
  try {
    require.resolve(file);
  } catch {
    throw new AdapterLoadError(`adapter module not found: ${spec}`);
  }
  try {
    return require(file) as Partial<AdapterModule>;
  } catch (e) {
    throw new AdapterLoadError(`adapter module ${spec} failed to load: ${loadFailure(e as NodeJS.ErrnoException, file)}`);
  }
}

function loadFailure(e: NodeJS.ErrnoException, file: string): string {
  const first = String(e.message).split('\n')[0]!;
  if (e.code === 'MODULE_NOT_FOUND') {
    const missing = /^Cannot find module '([^']+)'/.exec(first)?.[1] ?? first;
    const hint = missing === 'kbus-conformance' ? ': install kbus-conformance beside it, or keep the adapter inside a clone of it' : '';
    return `it requires ${missing}, which cannot be found from ${path.dirname(file)}${hint}`;
  }
  // Node runs JavaScript only: a TypeScript adapter fails on its first type annotation.
  if (e instanceof SyntaxError && /\.(c|m)?ts$/.test(file)) return `${first} (a TypeScript adapter must be compiled to JavaScript first, e.g. with tsc)`;
  return first;
}
