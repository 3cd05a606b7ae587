/**
 * The implementation under test, checked before cucumber starts: a missing device, a permission
 * problem or an adapter that does not load must end the run with one line, not 200 broken
 * scenarios or a stack trace.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import { AdapterLoadError, loadAdapter } from '../adapters/load';
import { UsageError } from './exit-codes';
import type { RunOptions } from './options';
import { firstLine } from './outcomes';

export interface Implementation {
  /** As given: `reference`, `kernel` or the module's path. */
  adapter: string;
  /** The adapter's own name, e.g. `kernel /dev/kbus0`. */
  name: string;
  device?: string;
  /** Only where a kernel serves the implementation; an in-process one has none. */
  kernelRelease?: string;
  capabilities: string[];
  pointerSize: number;
  limits: Record<string, number>;
  /** What the adapter's describe() reported. */
  details: Record<string, string>;
}

export async function probeImplementation(options: Pick<RunOptions, 'adapter' | 'device' | 'adapterOptions'>): Promise<Implementation> {
  let adapter;
  try {
    adapter = await loadAdapter(options.adapter, { ...options.adapterOptions, device: options.device });
  } catch (e) {
    throw new UsageError(explainLoadFailure(e, options));
  }
  try {
    const details = await adapter.describe();
    return {
      adapter: options.adapter,
      name: adapter.name,
      device: details.device ?? options.device,
      ...(details.kernelRelease !== undefined ? { kernelRelease: details.kernelRelease } : {}),
      capabilities: [...adapter.capabilities].sort(),
      pointerSize: adapter.pointerSize,
      limits: await adapter.limits(),
      details,
    };
  } catch (e) {
    throw new UsageError(`the ${options.adapter} adapter loaded but cannot describe the implementation: ${oneLine(e)}`);
  } finally {
    await adapter.dispose().catch(() => undefined);
  }
}

function explainLoadFailure(e: unknown, options: Pick<RunOptions, 'adapter' | 'device'>): string {
  const message = withErrnoNames(oneLine(e));
  if (options.device !== undefined && isDirectory(options.device)) {
    return `--device ${options.device} is a directory: pass a KBUS device in it, e.g. /dev/kbus0 or the kbus0 of a serve mount`;
  }
  if (/^no such device/.test(message)) {
    return `${message}: load the KBUS kernel module (modprobe kbus) or pass --device with the path of an existing /dev/kbusN`;
  }
  if (/^not a KBUS device/.test(message)) {
    return `${message}: pass --device with the path of a KBUS device node, e.g. /dev/kbus0`;
  }
  if (e instanceof AdapterLoadError && options.adapter === 'kernel' && /module not found/.test(message)) {
    return `the kernel adapter is not part of this installation of kbus-conformance${options.device ? ` (needed for --device ${options.device})` : ''}`;
  }
  if (e instanceof AdapterLoadError) return message;
  return `the ${options.adapter} adapter could not start: ${message}`;
}

/** Adapters name the errnos KBUS uses; any other comes as `E<number>`, which says little to a reader. */
function withErrnoNames(message: string): string {
  const names = new Map(Object.entries(os.constants.errno).map(([name, n]) => [n, name]));
  return message.replace(/\bE(\d+)\b/g, (e, n: string) => names.get(Number(n)) ?? e);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function oneLine(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}
