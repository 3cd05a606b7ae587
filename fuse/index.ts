/**
 * Serves reference KBUS devices as files DIR/kbus0 … on a FUSE mount, so that any client —
 * a C program, the kernel adapter — can use them as it would use /dev/kbusN.
 *
 * The server answers the kernel on this process's event loop: clients making blocking
 * system calls on the files must run in another process (or worker thread).
 */

import * as path from 'node:path';
import { KbusSystem, type SystemOptions } from '../reference';
import { ReferenceDeviceFiles } from './kbus-files';
import { mountFuse, unmountFuse } from './mount';
import { FuseSession } from './session';
import { stallingOne, type Stall } from './stall';

export { MountError, fuseUnavailable } from './mount';

export interface ServeOptions extends Omit<SystemOptions, 'pointerSize'> {
  /** The directory to mount on; the devices appear in it as kbus0, kbus1, … */
  mount: string;
  /** Leave one ioctl call unanswered on purpose (for testing clients' bounds). */
  stall?: Stall;
}

export interface KbusFuseServer {
  readonly mount: string;
  /** Settles when serving has stopped (unmounted), rejecting if the session failed. */
  readonly done: Promise<void>;
  /** Unmounts (lazily: files still open keep working until closed) and waits for the end. */
  close(): Promise<void>;
}

export function serveKbus(options: ServeOptions): KbusFuseServer {
  const mount = path.resolve(options.mount);
  const system = new KbusSystem({ ...options, pointerSize: 8 });
  const fd = mountFuse(mount);
  let mounted = true;
  const unmount = () => {
    if (mounted) unmountFuse(mount);
    mounted = false;
  };
  // A server that exits without unmounting leaves a mount that answers ENOTCONN.
  process.once('exit', unmount);
  const holds = options.stall ? stallingOne(options.stall, system.pointerSize) : undefined;
  const done = new FuseSession(fd, new ReferenceDeviceFiles(system), holds).run().finally(() => {
    unmount();
    process.removeListener('exit', unmount);
  });
  return {
    mount,
    done,
    close: async () => {
      unmount();
      await done;
    },
  };
}
