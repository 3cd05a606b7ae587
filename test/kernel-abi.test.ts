/**
 * The kernel ABI, pinned byte for byte against the behaviour catalogue (§4.1, §4.2): ioctl
 * request numbers and argument structures for 8- and 4-byte pointers, and the bytes each
 * request of the kernel adapter really carries.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  decodeMsgId,
  decodeNameStruct,
  encodeBindQuery,
  encodeBindRequest,
  encodeMsgId,
  encodeU32Arg,
  nameStructSize,
  u32ArgSize,
} from '../wire/ioctl-args';
import { KernelKsock } from '../adapters/kernel/ksock';
import { readUserMemory } from '../fuse/memory';
import type { PointerSize } from '../wire/constants';
import { IOCTL, ioctlName, type IoctlName } from '../wire/ioctl';

// behaviours.md §4.1, copied as literals so that a change to the encoding cannot hide.
const REQUEST_NUMBERS: Record<IoctlName, [number, number]> = {
  RESET: [0x00006b01, 0x00006b01],
  BIND: [0x40086b02, 0x40046b02],
  UNBIND: [0x40086b03, 0x40046b03],
  KSOCKID: [0x80086b04, 0x80046b04],
  REPLIER: [0xc0086b05, 0xc0046b05],
  NEXTMSG: [0x80086b06, 0x80046b06],
  LENLEFT: [0x80086b07, 0x80046b07],
  SEND: [0x80086b08, 0x80046b08],
  DISCARD: [0x00006b09, 0x00006b09],
  LASTSENT: [0x80086b0a, 0x80046b0a],
  MAXMSGS: [0xc0086b0b, 0xc0046b0b],
  NUMMSGS: [0x80086b0c, 0x80046b0c],
  UNREPLIEDTO: [0x80086b0d, 0x80046b0d],
  MSGONLYONCE: [0xc0086b0e, 0xc0046b0e],
  VERBOSE: [0xc0086b0f, 0xc0046b0f],
  NEWDEVICE: [0x80086b10, 0x80046b10],
  REPORTREPLIERBINDS: [0xc0086b11, 0xc0046b11],
  MAXMSGSIZE: [0xc0086b12, 0xc0046b12],
};

describe('ioctl request numbers', () => {
  for (const [name, [x86_64, i386]] of Object.entries(REQUEST_NUMBERS) as [IoctlName, [number, number]][]) {
    it(`${name} is 0x${x86_64.toString(16)} with 8-byte pointers and 0x${i386.toString(16)} with 4-byte ones`, () => {
      assert.equal(IOCTL[8][name], x86_64);
      assert.equal(IOCTL[4][name], i386);
      assert.equal(ioctlName(x86_64, 8), name);
      assert.equal(ioctlName(i386, 4), name);
    });
  }

  it('the decimal values the catalogue quotes for x86_64', () => {
    assert.equal(IOCTL[8].RESET, 27393);
    assert.equal(IOCTL[8].BIND, 1074293506);
    assert.equal(IOCTL[8].KSOCKID, 2148035332);
    assert.equal(IOCTL[8].REPLIER, 3221777157);
    assert.equal(IOCTL[8].MAXMSGSIZE, 3221777170);
  });

  it('other types, numbers above 18 and wrong size or direction bits are no KBUS request', () => {
    assert.equal(ioctlName(0x40087802, 8), undefined); // type 'x'
    assert.equal(ioctlName(0x80086b13, 8), undefined); // number 19
    assert.equal(ioctlName(0x80086b00, 8), undefined); // number 0
    assert.equal(ioctlName(0x40046b02, 8), undefined); // BIND with a 32-bit size on a 64-bit device
    assert.equal(ioctlName(0x80086b02, 8), undefined); // BIND as _IOR
    assert.equal(ioctlName(0x00006b04, 8), undefined); // KSOCKID as _IO
  });
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('argument structures', () => {
  const ptr = 0x1122334455667788n;

  it('kbus_bind_request is 16 bytes with 8-byte pointers: is_replier @0, name_len @4, name @8', () => {
    const b = encodeBindRequest(true, 6, ptr, 8);
    assert.equal(nameStructSize(8), 16);
    assert.equal(hex(b), '01000000' + '06000000' + '8877665544332211');
    assert.deepEqual(decodeNameStruct(b, 8), { first: 1, nameLen: 6, namePtr: ptr });
  });

  it('kbus_bind_request is 12 bytes with 4-byte pointers', () => {
    const b = encodeBindRequest(false, 1001, 0x55667788n, 4);
    assert.equal(nameStructSize(4), 12);
    assert.equal(hex(b), '00000000' + 'e9030000' + '88776655');
    assert.deepEqual(decodeNameStruct(b, 4), { first: 0, nameLen: 1001, namePtr: 0x55667788n });
  });

  for (const ps of [8, 4] as PointerSize[]) {
    it(`kbus_bind_query goes in with return_id 0 (${ps}-byte pointers)`, () => {
      const b = encodeBindQuery(7, 0x10n, ps);
      assert.equal(b.length, 8 + ps);
      assert.equal(b.readUInt32LE(0), 0);
      assert.equal(b.readUInt32LE(4), 7);
      assert.equal(decodeNameStruct(b, ps).namePtr, 0x10n);
    });

    it(`a u32 argument has a pointer-sized slot, value first (${ps}-byte pointers)`, () => {
      assert.equal(u32ArgSize(ps), ps);
      assert.equal(hex(encodeU32Arg(0xffffffff, ps)), 'ffffffff' + '00'.repeat(ps - 4));
    });
  }

  it('kbus_msg_id is network_id @0, serial_num @4', () => {
    const b = encodeMsgId({ networkId: 3, serialNum: 5 });
    assert.equal(hex(b), '03000000' + '05000000');
    assert.deepEqual(decodeMsgId(b), { networkId: 3, serialNum: 5 });
  });
});

/** What one ioctl carried, with the name behind a name pointer read back from our own memory. */
interface Recorded {
  request: number;
  arg: Buffer | null;
  name?: string;
}

function recordingKsock(
  reply: (request: number, arg: Buffer | null) => number = () => 0,
  pointerSize: PointerSize = 8,
): { ksock: KernelKsock; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const ioctl = (_fd: number, request: number, arg: Buffer | null): number => {
    const call: Recorded = { request, arg: arg && Buffer.from(arg) };
    if (arg && (request === IOCTL[8].BIND || request === IOCTL[8].UNBIND || request === IOCTL[8].REPLIER)) {
      const s = decodeNameStruct(arg, 8);
      call.name = readUserMemory(process.pid, s.namePtr, s.nameLen + 1).toString('latin1');
    }
    calls.push(call);
    return reply(request, arg);
  };
  return { ksock: new KernelKsock(-1, pointerSize, () => undefined, ioctl), calls };
}

describe('requests the kernel adapter sends for a 32-bit client (4-byte pointers)', () => {
  it('uses the i386 request numbers, 12-byte bind structures and 4-byte u32 slots', async () => {
    const { ksock, calls } = recordingKsock(() => 0, 4);
    await ksock.bind('$.Fred', false);
    await ksock.replierOf('$.Fred');
    await ksock.ksockId();
    await ksock.send();
    await ksock.maxMsgSize(0);
    assert.deepEqual(
      calls.map((c) => [c.request, c.arg!.length]),
      [
        [0x40046b02, 12],
        [0xc0046b05, 12],
        [0x80046b04, 4],
        [0x80046b08, 8],
        [0xc0046b12, 4],
      ],
    );
  });
});

describe('requests the kernel adapter sends (8-byte pointers)', () => {
  it('BIND carries is_replier, name_len and a pointer to the NUL-terminated name', async () => {
    const { ksock, calls } = recordingKsock();
    await ksock.bind('$.Fred', true);
    assert.equal(calls[0].request, 0x40086b02);
    assert.equal(calls[0].arg!.length, 16);
    assert.equal(calls[0].arg!.readUInt32LE(0), 1);
    assert.equal(calls[0].arg!.readUInt32LE(4), 6);
    assert.equal(calls[0].name, '$.Fred\0');
  });

  it('UNBIND of a listener carries is_replier 0', async () => {
    const { ksock, calls } = recordingKsock();
    await ksock.unbind('$.Jim.*', false);
    assert.equal(calls[0].request, 0x40086b03);
    assert.equal(calls[0].arg!.readUInt32LE(0), 0);
    assert.equal(calls[0].name, '$.Jim.*\0');
  });

  it('bindRaw passes a name_len that disagrees with the name as given', async () => {
    const { ksock, calls } = recordingKsock();
    await ksock.bindRaw(Buffer.from('$.Fred'), 0, false, false);
    assert.equal(calls[0].arg!.readUInt32LE(4), 0);
  });

  it('REPLIER carries a kbus_bind_query and returns the return_id the device filled in', async () => {
    const { ksock, calls } = recordingKsock((_r, arg) => {
      arg!.writeUInt32LE(42, 0);
      return 1;
    });
    assert.equal(await ksock.replierOf('$.A.B'), 42);
    assert.equal(calls[0].request, 0xc0086b05);
    assert.equal(calls[0].arg!.readUInt32LE(0), 0);
    assert.equal(calls[0].arg!.readUInt32LE(4), 5);
    assert.equal(calls[0].name, '$.A.B\0');
  });

  it('SEND and LASTSENT read a kbus_msg_id back', async () => {
    const { ksock, calls } = recordingKsock((_r, arg) => {
      arg!.writeUInt32LE(0, 0);
      arg!.writeUInt32LE(9, 4);
      return 0;
    });
    assert.deepEqual(await ksock.send(), { networkId: 0, serialNum: 9 });
    assert.deepEqual(await ksock.lastSent(), { networkId: 0, serialNum: 9 });
    assert.deepEqual(
      calls.map((c) => [c.request, c.arg!.length]),
      [
        [0x80086b08, 8],
        [0x80086b0a, 8],
      ],
    );
  });

  it('switches and limits pass their u32 in and read the u32 the device wrote back', async () => {
    const { ksock, calls } = recordingKsock((_r, arg) => {
      arg!.writeUInt32LE((arg!.readUInt32LE(0) + 1) >>> 0, 0);
      return 0;
    });
    assert.equal(await ksock.maxMsgSize(0), 1);
    assert.equal(await ksock.maxMsgs(50), 51);
    assert.equal(await ksock.msgOnlyOnce(0xffffffff), 0);
    assert.equal(await ksock.verbose(1), 2);
    assert.equal(await ksock.reportReplierBinds(0), 1);
    assert.equal(await ksock.nextMsg(), 1);
    assert.deepEqual(
      calls.map((c) => [c.request, c.arg!.length]),
      [0xc0086b12, 0xc0086b0b, 0xc0086b0e, 0xc0086b0f, 0xc0086b11, 0x80086b06].map((r) => [r, 8]),
    );
    assert.equal(calls[1].arg!.readUInt32LE(0), 50);
  });

  it('RESET and DISCARD pass no argument', async () => {
    const { ksock, calls } = recordingKsock();
    await ksock.reset();
    await ksock.discard();
    assert.deepEqual(
      calls.map((c) => [c.request, c.arg]),
      [
        [0x6b01, null],
        [0x6b09, null],
      ],
    );
  });

  it('pointy buffers hold their bytes at the address the header carries', async () => {
    const { ksock } = recordingKsock();
    const name = await ksock.allocate!(Buffer.from('$.Fred\0'));
    assert.equal(readUserMemory(process.pid, name.address, 7).toString('latin1'), '$.Fred\0');
    name.set(Buffer.from('$.Jim\0'));
    assert.equal(readUserMemory(process.pid, name.address, 6).toString('latin1'), '$.Jim\0');
  });
});
