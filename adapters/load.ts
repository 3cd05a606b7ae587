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
  const file = resolveAdapterModule(spec, cwd);
  let mod: Partial<AdapterModule>;
  try {
    mod = require(file) as Partial<AdapterModule>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(file)) {
      throw new AdapterLoadError(`adapter module not found: ${spec}`);
    }
    throw new AdapterLoadError(`adapter module ${spec} failed to load: ${err.message.split('\n')[0]}`);
  }
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
