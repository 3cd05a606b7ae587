/**
 * One FUSE connection: reads requests from /dev/fuse one at a time, answers each from a
 * {@link DeviceFiles} and writes the reply. Requests are handled strictly in arrival order, so
 * a client's close (RELEASE, queued before its close() returns) is seen before anything it
 * does next, as with a character device.
 *
 * The directory holds files `kbus0` … `kbus<N-1>`, whose behaviour is the DeviceFiles'
 * business, and `bindings`, the text /proc/kbus/bindings would show.
 */

import * as fs from 'node:fs';
import { isKbusError, KbusError } from '../wire/errno';
import * as P from './protocol';

/** What a served device file does; `fh` is the open file's handle, `pid` the calling thread. */
export interface DeviceFiles {
  /** How many devices exist now (NEWDEVICE adds one). */
  deviceCount(): number;
  open(device: number, readOnly: boolean, pid: number): bigint;
  write(fh: bigint, data: Buffer, pid: number): number;
  read(fh: bigint, size: number): Buffer;
  ioctl(fh: bigint, request: P.IoctlIn, pid: number): { result: number; out?: Buffer };
  /** Poll events (POLLIN/POLLOUT bits) the file has now. */
  poll(fh: bigint, pid: number): number;
  release(fh: bigint): void;
  /** Calls `wake(fh)` whenever a file's readiness may have changed. */
  onReadinessChange(wake: (fh: bigint) => void): void;
  /** The text of /proc/kbus/bindings, served as the file `bindings` beside the devices. */
  bindingsReport(): string;
}

const EINTR = 4;
const EIO = 5;
const ROOT = 1n;
const FIRST_DEVICE_NODE = 2n;
const BINDINGS_NODE = 1000n;
const BINDINGS_NAME = 'bindings';
/** Handles of opened reports, apart from the DeviceFiles' handles. */
const FIRST_REPORT_FH = 1n << 62n;
const DEVICE_NAME = /^kbus(0|[1-9]\d{0,2})$/;

function readOnce(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

export class FuseSession {
  private readonly buffer = Buffer.alloc(P.REQUEST_BUFFER_SIZE);
  /** Poll handles the kernel asked us to wake, by file handle. */
  private readonly pollHandles = new Map<bigint, bigint>();
  /** The report text as it was when each open of `bindings` happened, as /proc's seq files do. */
  private readonly reports = new Map<bigint, Buffer>();
  private nextReportFh = FIRST_REPORT_FH;
  private destroyed = false;
  /** Requests left unanswered on purpose (see stall.ts), answered EINTR once interrupted. */
  private readonly held = new Set<bigint>();

  constructor(
    private readonly fd: number,
    private readonly files: DeviceFiles,
    /** Whether to hold an ioctl request (by its number) rather than answer it: test-only, see fuse/stall.ts. */
    private readonly holds?: (cmd: number) => boolean,
  ) {
    files.onReadinessChange((fh) => this.wake(fh));
  }

  /** Serves until the filesystem is unmounted (or the kernel says DESTROY). */
  async run(): Promise<void> {
    while (!this.destroyed) {
      let n: number;
      try {
        n = await readOnce(this.fd, this.buffer);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // ENOENT: the request we were about to read was interrupted; EINTR: a signal.
        if (code === 'ENOENT' || code === 'EINTR' || code === 'EAGAIN') continue;
        if (code === 'ENODEV') return; // unmounted
        throw e;
      }
      this.handle(this.buffer.subarray(0, n));
    }
  }

  private send(reply: Buffer): void {
    try {
      fs.writeSync(this.fd, reply);
    } catch (e) {
      // The caller went away (interrupted or killed): nobody is waiting for this reply.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  private wake(fh: bigint): void {
    const kh = this.pollHandles.get(fh);
    if (kh === undefined) return;
    this.pollHandles.delete(fh);
    this.send(P.encodePollWakeup(kh));
  }

  private handle(request: Buffer): void {
    const h = P.decodeInHeader(request);
    const body = request.subarray(P.IN_HEADER_SIZE, h.len);
    if (this.holds && h.opcode === P.OP.IOCTL && this.holds(P.decodeIoctlIn(body).cmd)) {
      this.held.add(h.unique);
      return;
    }
    if (h.opcode === P.OP.INTERRUPT) {
      const unique = body.readBigUInt64LE(0); // fuse_interrupt_in: the interrupted request
      if (this.held.delete(unique)) this.send(P.encodeReply(unique, EINTR));
      return;
    }
    let reply: { errno: number; body?: Buffer };
    try {
      reply = { errno: 0, body: this.answer(h, body) };
    } catch (e) {
      if (isKbusError(e)) reply = { errno: e.code };
      else {
        // A fault of the server, not a verdict of the device: the caller sees EIO, and the
        // other clients keep their devices.
        console.error(`kbus fuse: opcode ${h.opcode} failed:`, e);
        reply = { errno: EIO };
      }
    }
    if (!P.NO_REPLY.has(h.opcode)) this.send(P.encodeReply(h.unique, reply.errno, reply.body));
  }

  private deviceOf(nodeid: bigint): number {
    const n = Number(nodeid - FIRST_DEVICE_NODE);
    if (nodeid < FIRST_DEVICE_NODE || n >= this.files.deviceCount()) throw fail('ENOENT');
    return n;
  }

  private attr(nodeid: bigint): P.Attr {
    if (nodeid === ROOT) return { ino: ROOT, mode: P.S_IFDIR | 0o755, nlink: 2 };
    if (nodeid === BINDINGS_NODE) return { ino: nodeid, mode: P.S_IFREG | 0o444, nlink: 1 };
    this.deviceOf(nodeid);
    return { ino: nodeid, mode: P.S_IFREG | 0o666, nlink: 1 };
  }

  /** The reply body for one request; throws a KbusError to answer with its errno. */
  private answer(h: P.InHeader, body: Buffer): Buffer | undefined {
    switch (h.opcode) {
      case P.OP.INIT:
        return P.encodeInitOut(P.decodeInitIn(body));
      case P.OP.DESTROY:
        this.destroyed = true;
        return undefined;
      case P.OP.LOOKUP: {
        const name = body.subarray(0, body.indexOf(0)).toString();
        if (h.nodeid === ROOT && name === BINDINGS_NAME) return P.encodeEntryOut(BINDINGS_NODE, this.attr(BINDINGS_NODE));
        const m = h.nodeid === ROOT ? DEVICE_NAME.exec(name) : null;
        if (!m || Number(m[1]) >= this.files.deviceCount()) throw fail('ENOENT');
        const nodeid = FIRST_DEVICE_NODE + BigInt(m[1]);
        return P.encodeEntryOut(nodeid, this.attr(nodeid));
      }
      case P.OP.GETATTR:
      case P.OP.SETATTR:
        return P.encodeAttrOut(this.attr(h.nodeid));
      case P.OP.STATFS:
        return P.encodeStatfsOut();
      case P.OP.OPENDIR:
        return P.encodeOpenOut(0n, 0);
      case P.OP.READDIR:
        return this.readdir(P.decodeReadSize(body), Number(body.readBigUInt64LE(8)));
      case P.OP.RELEASEDIR:
      case P.OP.FLUSH:
        return undefined;
      case P.OP.OPEN: {
        if (h.nodeid === BINDINGS_NODE) {
          const fh = this.nextReportFh++;
          this.reports.set(fh, Buffer.from(this.files.bindingsReport(), 'latin1'));
          return P.encodeOpenOut(fh, P.FOPEN_DIRECT_IO);
        }
        const readOnly = (P.decodeOpenFlags(body) & P.O_ACCMODE) === P.O_RDONLY;
        const fh = this.files.open(this.deviceOf(h.nodeid), readOnly, h.pid);
        // Direct I/O: every read and write reaches the device, unbuffered, at no file position.
        return P.encodeOpenOut(fh, P.FOPEN_DIRECT_IO | P.FOPEN_NONSEEKABLE | P.FOPEN_NOFLUSH);
      }
      case P.OP.READ: {
        const fh = P.decodeFh(body);
        const size = P.decodeReadSize(body);
        const report = this.reports.get(fh);
        if (report) {
          const offset = Number(body.readBigUInt64LE(8));
          return report.subarray(offset, offset + size);
        }
        return this.files.read(fh, size);
      }
      case P.OP.WRITE: {
        const w = P.decodeWrite(body);
        return P.encodeWriteOut(this.files.write(w.fh, w.data, h.pid));
      }
      case P.OP.IOCTL: {
        const request = P.decodeIoctlIn(body);
        const { result, out } = this.files.ioctl(request.fh, request, h.pid);
        return P.encodeIoctlOut(result, out);
      }
      case P.OP.POLL: {
        const p = P.decodePollIn(body);
        if (p.flags & P.POLL_SCHEDULE_NOTIFY) this.pollHandles.set(p.fh, p.kh);
        return P.encodePollOut(this.files.poll(p.fh, h.pid));
      }
      case P.OP.RELEASE: {
        const fh = P.decodeFh(body);
        if (this.reports.delete(fh)) return undefined;
        this.pollHandles.delete(fh);
        this.files.release(fh);
        return undefined;
      }
      case P.OP.FORGET:
      case P.OP.BATCH_FORGET:
        return undefined;
      default:
        throw fail('ENOSYS');
    }
  }

  private readdir(size: number, offset: number): Buffer {
    const entries: Buffer[] = [];
    let used = 0;
    const devices = this.files.deviceCount();
    const names = ['.', '..', BINDINGS_NAME, ...Array.from({ length: devices }, (_, n) => `kbus${n}`)];
    for (let i = offset; i < names.length; i++) {
      const isDir = i < 2;
      const ino = isDir ? ROOT : i === 2 ? BINDINGS_NODE : FIRST_DEVICE_NODE + BigInt(i - 3);
      const entry = P.encodeDirent(ino, i + 1, isDir ? P.DT_DIR : P.DT_REG, names[i]);
      if (used + entry.length > size) break;
      entries.push(entry);
      used += entry.length;
    }
    return Buffer.concat(entries);
  }
}

function fail(errno: 'ENOENT' | 'ENOSYS'): KbusError {
  return new KbusError(errno, 'fuse');
}
