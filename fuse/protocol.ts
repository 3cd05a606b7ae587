/**
 * The part of the FUSE kernel protocol (linux/fuse.h, 7.31 and later) a device-file server
 * speaks: request and reply headers, and the bodies of the requests it answers.
 * Little-endian, 64-bit host layout.
 */

export const FUSE_KERNEL_VERSION = 7;
/** The minor version we answer with (at most the kernel's); 7.31 has every field we use. */
export const FUSE_KERNEL_MINOR_VERSION = 31;

export const OP = {
  LOOKUP: 1,
  FORGET: 2,
  GETATTR: 3,
  SETATTR: 4,
  OPEN: 14,
  READ: 15,
  WRITE: 16,
  STATFS: 17,
  RELEASE: 18,
  FLUSH: 25,
  INIT: 26,
  OPENDIR: 27,
  READDIR: 28,
  RELEASEDIR: 29,
  INTERRUPT: 36,
  DESTROY: 38,
  IOCTL: 39,
  POLL: 40,
  BATCH_FORGET: 42,
} as const;

/** Requests the kernel expects no reply to. */
export const NO_REPLY: ReadonlySet<number> = new Set([OP.FORGET, OP.BATCH_FORGET, OP.INTERRUPT]);

export const IN_HEADER_SIZE = 40;
export const OUT_HEADER_SIZE = 16;

export interface InHeader {
  len: number;
  opcode: number;
  unique: bigint;
  nodeid: bigint;
  uid: number;
  gid: number;
  /** The calling thread; 0 for requests the kernel makes on its own (e.g. RELEASE). */
  pid: number;
}

export function decodeInHeader(b: Buffer): InHeader {
  return {
    len: b.readUInt32LE(0),
    opcode: b.readUInt32LE(4),
    unique: b.readBigUInt64LE(8),
    nodeid: b.readBigUInt64LE(16),
    uid: b.readUInt32LE(24),
    gid: b.readUInt32LE(28),
    pid: b.readUInt32LE(32),
  };
}

/** A reply: header (error is minus the errno, or 0) then the body. */
export function encodeReply(unique: bigint, errno: number, body?: Buffer): Buffer {
  const size = OUT_HEADER_SIZE + (errno === 0 && body ? body.length : 0);
  const b = Buffer.alloc(size);
  b.writeUInt32LE(size, 0);
  b.writeInt32LE(-errno, 4);
  b.writeBigUInt64LE(unique, 8);
  if (errno === 0 && body) body.copy(b, OUT_HEADER_SIZE);
  return b;
}

export const NOTIFY_POLL = 1;

/** An unsolicited notification: unique 0, the notification code in the error field. */
export function encodePollWakeup(kh: bigint): Buffer {
  const b = Buffer.alloc(OUT_HEADER_SIZE + 8);
  b.writeUInt32LE(b.length, 0);
  b.writeInt32LE(NOTIFY_POLL, 4);
  b.writeBigUInt64LE(0n, 8);
  b.writeBigUInt64LE(kh, OUT_HEADER_SIZE);
  return b;
}

// fuse_init_in / fuse_init_out
export const INIT_MAX_PAGES = 1 << 22;
export const MAX_WRITE = 1024 * 1024;
export const MAX_PAGES = MAX_WRITE / 4096;
/** Big enough for the largest WRITE the kernel may send: header, write_in, max_write bytes. */
export const REQUEST_BUFFER_SIZE = MAX_WRITE + 4096;

export interface InitIn {
  major: number;
  minor: number;
  maxReadahead: number;
  flags: number;
}

export function decodeInitIn(b: Buffer): InitIn {
  return { major: b.readUInt32LE(0), minor: b.readUInt32LE(4), maxReadahead: b.readUInt32LE(8), flags: b.readUInt32LE(12) };
}

export function encodeInitOut(init: InitIn): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(FUSE_KERNEL_VERSION, 0);
  b.writeUInt32LE(Math.min(init.minor, FUSE_KERNEL_MINOR_VERSION), 4);
  b.writeUInt32LE(init.maxReadahead, 8);
  b.writeUInt32LE(init.flags & INIT_MAX_PAGES, 12);
  // Releases are background requests; a high limit keeps every RELEASE queued ahead of the
  // client's next request, so a close is seen before anything the closer does afterwards.
  b.writeUInt16LE(0xffff, 16); // max_background
  b.writeUInt16LE(0xc000, 18); // congestion_threshold
  b.writeUInt32LE(MAX_WRITE, 20);
  b.writeUInt32LE(1, 24); // time_gran
  b.writeUInt16LE(MAX_PAGES, 28);
  return b;
}

// fuse_attr, fuse_entry_out, fuse_attr_out
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export interface Attr {
  ino: bigint;
  mode: number;
  nlink: number;
}

function encodeAttr(a: Attr, b: Buffer, at: number): void {
  b.writeBigUInt64LE(a.ino, at);
  // size, blocks, times: 0
  b.writeUInt32LE(a.mode, at + 60);
  b.writeUInt32LE(a.nlink, at + 64);
  // uid, gid, rdev: 0 (root)
  b.writeUInt32LE(4096, at + 80); // blksize
}

/** How long (seconds) the kernel may cache names and attributes; the set of files only grows. */
const CACHE_SECONDS = 3600n;

export function encodeEntryOut(nodeid: bigint, attr: Attr): Buffer {
  const b = Buffer.alloc(40 + 88);
  b.writeBigUInt64LE(nodeid, 0);
  b.writeBigUInt64LE(CACHE_SECONDS, 16); // entry_valid
  b.writeBigUInt64LE(CACHE_SECONDS, 24); // attr_valid
  encodeAttr(attr, b, 40);
  return b;
}

export function encodeAttrOut(attr: Attr): Buffer {
  const b = Buffer.alloc(16 + 88);
  b.writeBigUInt64LE(CACHE_SECONDS, 0);
  encodeAttr(attr, b, 16);
  return b;
}

// fuse_open_out
export const FOPEN_DIRECT_IO = 1 << 0;
export const FOPEN_NONSEEKABLE = 1 << 2;
export const FOPEN_NOFLUSH = 1 << 5;

export function encodeOpenOut(fh: bigint, openFlags: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(fh, 0);
  b.writeUInt32LE(openFlags, 8);
  return b;
}

/** fuse_open_in.flags: the open(2) flags. */
export function decodeOpenFlags(body: Buffer): number {
  return body.readUInt32LE(0);
}

export const O_ACCMODE = 3;
export const O_RDONLY = 0;

/** fuse_read_in, fuse_write_in, fuse_release_in, fuse_flush_in, fuse_poll_in, fuse_ioctl_in all start with fh. */
export function decodeFh(body: Buffer): bigint {
  return body.readBigUInt64LE(0);
}

/** fuse_read_in.size */
export function decodeReadSize(body: Buffer): number {
  return body.readUInt32LE(16);
}

export const WRITE_IN_SIZE = 40;

/** fuse_write_in.size and the data that follows it. */
export function decodeWrite(body: Buffer): { fh: bigint; data: Buffer } {
  const size = body.readUInt32LE(16);
  return { fh: decodeFh(body), data: body.subarray(WRITE_IN_SIZE, WRITE_IN_SIZE + size) };
}

export function encodeWriteOut(size: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(size, 0);
  return b;
}

// fuse_ioctl_in / fuse_ioctl_out
export interface IoctlIn {
  fh: bigint;
  flags: number;
  cmd: number;
  /** The caller's argument: a user address for every KBUS request that takes one. */
  arg: bigint;
  inSize: number;
  outSize: number;
  /** The in_size bytes the kernel copied from `arg` (as many as the request's size field says). */
  data: Buffer;
}

export function decodeIoctlIn(body: Buffer): IoctlIn {
  const inSize = body.readUInt32LE(24);
  return {
    fh: decodeFh(body),
    flags: body.readUInt32LE(8),
    cmd: body.readUInt32LE(12),
    arg: body.readBigUInt64LE(16),
    inSize,
    outSize: body.readUInt32LE(28),
    data: body.subarray(32, 32 + inSize),
  };
}

/** The ioctl's return value, then the bytes the kernel copies back to `arg` (at most out_size). */
export function encodeIoctlOut(result: number, out?: Buffer): Buffer {
  const b = Buffer.alloc(16 + (out?.length ?? 0));
  b.writeInt32LE(result, 0);
  out?.copy(b, 16);
  return b;
}

// fuse_poll_in / fuse_poll_out
export const POLL_SCHEDULE_NOTIFY = 1 << 0;

export function decodePollIn(body: Buffer): { fh: bigint; kh: bigint; flags: number; events: number } {
  return { fh: decodeFh(body), kh: body.readBigUInt64LE(8), flags: body.readUInt32LE(16), events: body.readUInt32LE(20) };
}

export function encodePollOut(revents: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(revents, 0);
  return b;
}

// fuse_dirent
export const DT_REG = 8;
export const DT_DIR = 4;

export function encodeDirent(ino: bigint, offset: number, type: number, name: string): Buffer {
  const nameBytes = Buffer.from(name);
  const size = 24 + Math.ceil(nameBytes.length / 8) * 8;
  const b = Buffer.alloc(size);
  b.writeBigUInt64LE(ino, 0);
  b.writeBigUInt64LE(BigInt(offset), 8);
  b.writeUInt32LE(nameBytes.length, 16);
  b.writeUInt32LE(type, 20);
  nameBytes.copy(b, 24);
  return b;
}

/** fuse_statfs_out: an empty filesystem. */
export function encodeStatfsOut(): Buffer {
  const b = Buffer.alloc(80);
  b.writeUInt32LE(4096, 40); // bsize
  b.writeUInt32LE(255, 44); // namelen
  b.writeUInt32LE(4096, 48); // frsize
  return b;
}
