/**
 * `kbus-conformance serve --mount DIR [--devices N]`: serves reference devices through FUSE
 * until Ctrl-C, SIGTERM or SIGHUP, or until whoever started it goes away, then unmounts.
 * Prints one line when the files are ready.
 */

import { parseArgs } from 'node:util';
import { LIMITS } from '../wire/constants';
import { MountError, serveKbus } from '.';
import { stallFromEnv } from './stall';

export const SERVE_HELP = `Usage: kbus-conformance serve --mount DIR [--devices N] [--max-message-size BYTES] [--watch-stdin]

Serves reference KBUS devices as files DIR/kbus0 … DIR/kbus{N-1}, with DIR/bindings (the
text of /proc/kbus/bindings), through FUSE: root and /dev/fuse needed. Prints one line once
the files are ready, and serves until Ctrl-C, SIGTERM or SIGHUP, or until the process that
started it ends (so that "serve … &" in a script and "kill $!" stop it); then it unmounts.

  --mount DIR                an existing empty directory to mount on
  --devices N                how many devices, 1 to ${LIMITS.MAX_DEVICES} (default 1; 2 gives the suite
                             a second bus: --adapter-option secondDevice=DIR/kbus1)
  --max-message-size BYTES   the devices' default and absolute largest message
                             (default ${LIMITS.OUT_OF_TREE_MAX_MSG_SIZE}, as the module's own out-of-tree build,
                             which the suite's size scenarios expect unless told
                             otherwise: --adapter-option defaultMaxMessageSize=N
                             --adapter-option absoluteMaxMessageSize=N)
  --watch-stdin              also stop when standard input closes (for a coprocess)
  -h, --help                 this text`;

const USAGE = 'usage: kbus-conformance serve --mount DIR [--devices N] [--max-message-size BYTES] [--watch-stdin] (see --help)';

/** How often the server checks that the process that started it is still there. */
const PARENT_CHECK_MS = 250;

/** Runs the serve command; resolves with the process exit code. */
export async function serveCommand(argv: string[]): Promise<number> {
  let values: { mount?: string; devices?: string; 'max-message-size'?: string; 'watch-stdin'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        mount: { type: 'string' },
        devices: { type: 'string' },
        'max-message-size': { type: 'string' },
        'watch-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message.split('\n')[0]}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const devices = Number(values.devices ?? 1);
  const maxSize = Number(values['max-message-size'] ?? LIMITS.OUT_OF_TREE_MAX_MSG_SIZE);
  if (!values.mount || !(Number.isInteger(devices) && devices >= 1 && devices <= LIMITS.MAX_DEVICES) || !Number.isInteger(maxSize)) {
    console.error(USAGE);
    return 2;
  }
  let server;
  try {
    const stall = stallFromEnv();
    server = serveKbus({
      ...(stall && { stall }),
      mount: values.mount,
      devices,
      absoluteMaxMessageSize: maxSize,
      defaultMaxMessageSize: maxSize,
    });
  } catch (e) {
    if (e instanceof MountError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // Unmount at once, even with files still open: their holders get errors, not a hang.
  const stop = () => {
    void server.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  whenStarterGoes(stop);
  if (values['watch-stdin']) process.stdin.on('end', stop).on('close', stop).resume();
  const second = devices > 1 ? ` --adapter-option secondDevice=${server.mount}/kbus1` : '';
  console.log(
    `serving ${devices} KBUS device${devices === 1 ? '' : 's'} at ${server.mount}/kbus0${devices > 1 ? ` … kbus${devices - 1}` : ''}` +
      ` (run the suite on it: npx kbus-conformance --device ${server.mount}/kbus0${second} --adapter-option procBindings=${server.mount}/bindings)`,
  );
  await server.done;
  return 0;
}

/**
 * A launcher such as npx does not pass its SIGTERM on: the server is re-parented and would
 * keep the mount forever. A new parent id means the one that started it has ended.
 */
function whenStarterGoes(stop: () => void): void {
  const starter = process.ppid;
  setInterval(() => {
    if (process.ppid !== starter) stop();
  }, PARENT_CHECK_MS).unref();
}

if (require.main === module) {
  serveCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
