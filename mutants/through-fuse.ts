/**
 * Serving a mutant as a device: the reference devices with the mutant's policy, mounted through
 * FUSE by the runner for one suite run, which reaches them with the kernel adapter as it would
 * reach /dev/kbusN. The runner's own process serves; the suite runs in its worker processes.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SUITE_MAX_MESSAGE_SIZE } from '../adapters/reference';
import { serveKbus } from '../fuse';
import type { KbusPolicy } from '../reference/policy';
import type { RunRequest } from './suite-run';

export interface ServedRun {
  /** The suite run against the served device. */
  request: RunRequest;
  /** Unmounts and removes the mount point. */
  release(): Promise<void>;
}

/** Serves `policy` (the reference's when absent) and says how the suite reaches it. */
export function serveForRun(policy: KbusPolicy | undefined): ServedRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-mutant-'));
  let server;
  try {
    server = serveKbus({ mount: dir, devices: 1, absoluteMaxMessageSize: SUITE_MAX_MESSAGE_SIZE, defaultMaxMessageSize: SUITE_MAX_MESSAGE_SIZE, ...(policy && { policy }) });
  } catch (e) {
    fs.rmdirSync(dir);
    throw e;
  }
  const adapterOptions = { newDevicePerWorker: true, allowNewDevice: true, procBindings: path.join(dir, 'bindings') };
  return {
    request: {
      adapter: 'kernel',
      options: ['--device', path.join(dir, 'kbus0'), ...Object.entries(adapterOptions).flatMap(([k, v]) => ['--adapter-option', `${k}=${v}`])],
    },
    release: async () => {
      await server.close();
      fs.rmdirSync(dir);
    },
  };
}
