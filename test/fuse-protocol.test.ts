/**
 * The FUSE protocol structures the server writes, pinned to linux/fuse.h (64-bit layout):
 * sizes and the offsets of the fields the kernel reads.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as P from '../fuse/protocol';

describe('FUSE protocol structures', () => {
  it('a reply header is {len, error = -errno, unique}; an error reply has no body', () => {
    const ok = P.encodeReply(7n, 0, Buffer.from([1, 2, 3, 4]));
    assert.deepEqual([ok.length, ok.readUInt32LE(0), ok.readInt32LE(4), ok.readBigUInt64LE(8)], [20, 20, 0, 7n]);
    const refused = P.encodeReply(8n, 25, Buffer.alloc(8));
    assert.deepEqual([refused.length, refused.readInt32LE(4)], [16, -25]);
  });

  it('a poll wake-up is a notification: unique 0, code FUSE_NOTIFY_POLL, then the poll handle', () => {
    const b = P.encodePollWakeup(0x1234n);
    assert.deepEqual([b.length, b.readInt32LE(4), b.readBigUInt64LE(8), b.readBigUInt64LE(16)], [24, 1, 0n, 0x1234n]);
  });

  it('fuse_init_out is 64 bytes with max_background @16, max_write @20, max_pages @28', () => {
    const b = P.encodeInitOut({ major: 7, minor: 41, maxReadahead: 0x20000, flags: P.INIT_MAX_PAGES | 1 });
    assert.equal(b.length, 64);
    assert.deepEqual([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)], [7, 31, 0x20000, P.INIT_MAX_PAGES]);
    assert.deepEqual([b.readUInt16LE(16), b.readUInt32LE(20), b.readUInt16LE(28)], [0xffff, 1024 * 1024, 256]);
  });

  it('fuse_entry_out is 128 bytes and fuse_attr_out 104, with the attr mode @60 of fuse_attr', () => {
    const attr = { ino: 5n, mode: P.S_IFREG | 0o666, nlink: 1 };
    const entry = P.encodeEntryOut(5n, attr);
    assert.deepEqual([entry.length, entry.readBigUInt64LE(0), entry.readBigUInt64LE(40), entry.readUInt32LE(40 + 60)], [128, 5n, 5n, 0o100666]);
    const out = P.encodeAttrOut(attr);
    assert.deepEqual([out.length, out.readBigUInt64LE(16), out.readUInt32LE(16 + 60)], [104, 5n, 0o100666]);
  });

  it('fuse_open_out, fuse_write_out and fuse_poll_out', () => {
    const open = P.encodeOpenOut(9n, P.FOPEN_DIRECT_IO | P.FOPEN_NONSEEKABLE);
    assert.deepEqual([open.length, open.readBigUInt64LE(0), open.readUInt32LE(8)], [16, 9n, 5]);
    assert.deepEqual([...P.encodeWriteOut(88)], [88, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...P.encodePollOut(P.POLL_SCHEDULE_NOTIFY)], [1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('fuse_ioctl_in is read as {fh, flags, cmd, arg, in_size, out_size} and the copied-in bytes', () => {
    const b = Buffer.alloc(40);
    b.writeBigUInt64LE(3n, 0);
    b.writeUInt32LE(0xc0086b0b, 12);
    b.writeBigUInt64LE(0x7ffd0000n, 16);
    b.writeUInt32LE(8, 24);
    b.writeUInt32LE(8, 28);
    b.writeUInt32LE(50, 32);
    const io = P.decodeIoctlIn(b);
    assert.deepEqual([io.fh, io.cmd, io.arg, io.inSize, io.outSize, io.data.readUInt32LE(0)], [3n, 0xc0086b0b, 0x7ffd0000n, 8, 8, 50]);
    const out = P.encodeIoctlOut(1, Buffer.from([7, 0, 0, 0]));
    assert.deepEqual([out.length, out.readInt32LE(0), out[16]], [20, 1, 7]);
  });

  it('a directory entry is 24 bytes plus the name padded to 8', () => {
    const d = P.encodeDirent(2n, 1, P.DT_REG, 'kbus0');
    assert.deepEqual([d.length, d.readUInt32LE(16), d.readUInt32LE(20), d.subarray(24, 29).toString()], [32, 5, 8, 'kbus0']);
  });
});
