/**
 * Mounting a FUSE filesystem without libfuse: open /dev/fuse, mount(2) with its descriptor,
 * umount2(2) on the way out. Needs root (CAP_SYS_ADMIN).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as koffi from 'koffi';
import { cFunctions } from '../adapters/kernel/libc';
import { errnoName } from '../wire/errno';

const MS_NOSUID = 2;
const MS_NODEV = 4;
const MNT_DETACH = 2;

const libc = cFunctions({
  mount: 'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
  umount2: 'int umount2(const char *target, int flags)',
});

export class MountError extends Error {
  override name = 'MountError';
}

function missingPrerequisite(): string | undefined {
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse does not exist';
  if (!fs.readFileSync('/proc/filesystems', 'utf8').split('\n').some((l) => l.split('\t').pop() === 'fuse')) return 'the fuse filesystem is not available';
  if (process.getuid?.() !== 0) return 'mounting needs root';
  return undefined;
}

/**
 * Whether a FUSE filesystem can be served here at all, and if not, why not: the
 * prerequisites, then a real mount on a scratch directory (a sandbox may refuse mount(2)
 * even to root).
 */
export function fuseUnavailable(): string | undefined {
  const missing = missingPrerequisite();
  if (missing) return missing;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-fuse-probe-'));
  try {
    unmountFuse(scratch, mountFuse(scratch));
    return undefined;
  } catch (e) {
    if (e instanceof MountError || (e as NodeJS.ErrnoException).code !== undefined) return (e as Error).message;
    throw e;
  } finally {
    fs.rmdirSync(scratch);
  }
}

function mountedAt(dir: string): boolean {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === dir);
}

/** Refuses a mount point that is missing, already mounted, or left stale by a dead server. */
function checkMountPoint(dir: string): void {
  try {
    if (!fs.statSync(dir).isDirectory()) throw new MountError(`mount point is not a directory: ${dir}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTCONN') {
      throw new MountError(`${dir} is a stale FUSE mount left by a server that died: unmount it first (umount -l ${dir})`);
    }
    if (code === 'ENOENT') throw new MountError(`mount point does not exist: ${dir}`);
    throw e;
  }
  if (mountedAt(dir)) throw new MountError(`${dir} is already a mount point: unmount it first or choose another directory`);
}

/** Mounts an empty FUSE filesystem on `dir` and returns the /dev/fuse descriptor to serve it on. */
export function mountFuse(dir: string): number {
  const target = path.resolve(dir);
  const why = missingPrerequisite();
  if (why) throw new MountError(`cannot serve KBUS devices through FUSE: ${why}`);
  checkMountPoint(target);
  const fd = fs.openSync('/dev/fuse', 'r+');
  const options = `fd=${fd},rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions,subtype=kbus`;
  if ((libc().mount('kbus', target, 'fuse', MS_NOSUID | MS_NODEV, options) as number) < 0) {
    const errno = koffi.errno();
    fs.closeSync(fd);
    throw new MountError(`mount of ${target} refused: ${errnoName(errno)}`);
  }
  return fd;
}

/**
 * Lazily detaches the mount: open files keep working until closed, new opens fail. Given the
 * descriptor too, also ends the connection (for a mount nobody serves).
 */
export function unmountFuse(dir: string, fd?: number): void {
  libc().umount2(path.resolve(dir), MNT_DETACH);
  if (fd !== undefined) fs.closeSync(fd);
}
