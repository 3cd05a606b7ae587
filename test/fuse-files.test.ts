/**
 * How the FUSE server decodes system calls on a served device file, without FUSE: requests
 * are handed to the device files as the kernel would hand them, with arguments in this
 * process's own memory (read back through process_vm_readv like any caller's).
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { encodeBindRequest, encodeU32Arg } from '../wire/ioctl-args';
import { NativeBuffer } from '../adapters/kernel/syscalls';
import { ReferenceDeviceFiles } from '../fuse/kbus-files';
import { readUserMemory } from '../fuse/memory';
import type { IoctlIn } from '../fuse/protocol';
import { KbusSystem } from '../reference';
import { FLAG, POLL } from '../wire/constants';
import { IOCTL, type IoctlName } from '../wire/ioctl';
import { encodeEntire } from '../wire/message';

const UNMAPPED = 0x10n;

function served() {
  const files = new ReferenceDeviceFiles(new KbusSystem());
  const native: NativeBuffer[] = [];
  const place = (bytes: Uint8Array) => {
    const b = new NativeBuffer(bytes);
    native.push(b);
    return b;
  };
  const open = (readOnly = false) => {
    const fh = files.open(0, readOnly, process.pid);
    /** An ioctl as FUSE delivers it: the request, the caller's argument address, the bytes the kernel copied in. */
    const ioctl = (name: IoctlName, arg?: NativeBuffer) => {
      const request: IoctlIn = { fh, flags: 0, cmd: IOCTL[8][name], arg: arg?.address ?? 0n, inSize: 8, outSize: 8, data: Buffer.alloc(8) };
      return files.ioctl(fh, request, process.pid);
    };
    const bindStruct = (name: string, nameLen = name.length, isReplier = false) => {
      const namePtr = name === '' ? UNMAPPED : place(Buffer.from(`${name}\0`, 'latin1')).address;
      return place(encodeBindRequest(isReplier, nameLen, namePtr, 8));
    };
    return { fh, ioctl, bindStruct };
  };
  return { files, open, place, free: () => native.forEach((b) => b.free()) };
}

describe('system calls on a served device file', () => {
  it('BIND follows the name pointer of a kbus_bind_request; REPLIER answers 1 and the return_id', () => {
    const s = served();
    const replier = s.open();
    assert.deepEqual(replier.ioctl('BIND', replier.bindStruct('$.Fred', 6, true)), { result: 0 });
    const id = replier.ioctl('KSOCKID').out!.readUInt32LE(0);
    const asker = s.open(true);
    const found = asker.ioctl('REPLIER', asker.bindStruct('$.Fred'));
    assert.equal(found.result, 1);
    assert.equal(found.out!.readUInt32LE(0), id);
    assert.equal(asker.ioctl('REPLIER', asker.bindStruct('$.Jim')).result, 0);
    assert.match(s.files.bindingsReport(), /R {2}\$\.Fred$/m);
    s.free();
  });

  it('BIND checks name_len before following the pointer, then gives EFAULT for an unusable one', () => {
    const s = served();
    const k = s.open();
    assert.throws(() => k.ioctl('BIND', k.bindStruct('', 0)), { errno: 'EBADMSG' });
    assert.throws(() => k.ioctl('BIND', k.bindStruct('', 1001)), { errno: 'ENAMETOOLONG' });
    assert.throws(() => k.ioctl('BIND', k.bindStruct('', 6)), { errno: 'EFAULT' });
    assert.throws(() => k.ioctl('BIND', { address: UNMAPPED } as NativeBuffer), { errno: 'EFAULT' });
    s.free();
  });

  it('requests of another type, size or number are refused with ENOTTY', () => {
    const s = served();
    const fh = s.files.open(0, false, process.pid);
    for (const cmd of [0x40087802, 0x40046b02, 0x80086b13]) {
      assert.throws(() => s.files.ioctl(fh, { fh, flags: 0, cmd, arg: 0n, inSize: 0, outSize: 0, data: Buffer.alloc(0) }, process.pid), { errno: 'ENOTTY' });
    }
  });

  it('NEXTMSG returns 1 with the length when a message became current, 0 otherwise', () => {
    const s = served();
    const sender = s.open();
    const listener = s.open(true);
    listener.ioctl('BIND', listener.bindStruct('$.Fred'));
    assert.deepEqual(listener.ioctl('NEXTMSG'), { result: 0, out: encodeU32Arg(0, 4) });
    s.files.write(sender.fh, encodeEntire({ name: '$.Fred' }), process.pid);
    sender.ioctl('SEND');
    assert.equal(s.files.poll(listener.fh, process.pid) & POLL.IN, POLL.IN);
    assert.deepEqual(listener.ioctl('NEXTMSG'), { result: 1, out: encodeU32Arg(100, 4) });
    assert.equal(s.files.read(listener.fh, 1000).length, 100);
    s.free();
  });

  it('an ALL_OR_WAIT SEND that must wait writes the message id to the argument and fails with EAGAIN', () => {
    const s = served();
    const sender = s.open();
    const listener = s.open(true);
    listener.ioctl('BIND', listener.bindStruct('$.Fred'));
    const limit = s.place(encodeU32Arg(1, 8));
    s.files.ioctl(listener.fh, { fh: listener.fh, flags: 0, cmd: IOCTL[8].MAXMSGS, arg: limit.address, inSize: 8, outSize: 8, data: encodeU32Arg(1, 8) }, process.pid);
    s.files.write(sender.fh, encodeEntire({ name: '$.Fred' }), process.pid);
    const first = sender.ioctl('SEND').out!.readUInt32LE(4);
    s.files.write(sender.fh, encodeEntire({ name: '$.Fred', flags: FLAG.ALL_OR_WAIT }), process.pid);
    const arg = s.place(Buffer.alloc(8));
    assert.throws(() => sender.ioctl('SEND', arg), { errno: 'EAGAIN' });
    assert.equal(readUserMemory(process.pid, arg.address, 8).readUInt32LE(4), first + 1);
    s.free();
  });
});
