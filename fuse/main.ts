/**
 * `kbus-conformance serve --mount DIR [--devices N]`: serves reference devices through FUSE
 * until Ctrl-C or SIGTERM, then unmounts. Prints one line when the files are ready.
 */

import { parseArgs } from 'node:util';
import { LIMITS } from '../wire/constants';
import { MountError, serveKbus } from '.';
import { stallFromEnv } from './stall';

const USAGE = 'usage: kbus-conformance serve --mount DIR [--devices N] [--max-message-size BYTES]';

/** Runs the serve command; resolves with the process exit code. */
export async function serveCommand(argv: string[]): Promise<number> {
  let values: { mount?: string; devices?: string; 'max-message-size'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { mount: { type: 'string' }, devices: { type: 'string' }, 'max-message-size': { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const devices = Number(values.devices ?? 1);
  const maxSize = values['max-message-size'] === undefined ? undefined : Number(values['max-message-size']);
  if (!values.mount || !(Number.isInteger(devices) && devices >= 1 && devices <= LIMITS.MAX_DEVICES) || (maxSize !== undefined && !Number.isInteger(maxSize))) {
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
      ...(maxSize === undefined ? {} : { absoluteMaxMessageSize: maxSize, defaultMaxMessageSize: maxSize }),
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
  console.log(`serving ${devices} KBUS device${devices === 1 ? '' : 's'} at ${server.mount}/kbus0${devices > 1 ? ` … kbus${devices - 1}` : ''}`);
  await server.done;
  return 0;
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
