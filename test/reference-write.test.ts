/** Writing messages: guards, forms, chunking, check order and size limits (LAY, ORD-01, SZ, IO write side). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { END_GUARD, FLAG, START_GUARD } from '../wire/constants';
import { MessageHeader, emptyHeader, encodeEntire, encodeHeader, entireLength } from '../wire/message';
import { Harness, assertErrno } from './reference-harness';

/** A fake address space with the given buffers at the given addresses. */
function memory(regions: Record<string, Buffer>) {
  return {
    read(address: bigint, length: number) {
      const b = regions[address.toString()];
      return b && length <= b.length ? b.subarray(0, length) : null;
    },
  };
}

describe('header checks in write()', () => {
  const h = new Harness();
  const header = (patch: Partial<MessageHeader>) => encodeHeader({ ...emptyHeader(), nameLen: 6, ...patch }, h.pointerSize);
  const cases: [string, Buffer, string][] = [
    ['bad start guard', header({ startGuard: 0 }), 'EINVAL'],
    ['bad header end guard', header({ endGuard: START_GUARD }), 'EINVAL'],
    ['name NULL, data not', header({ dataPtr: 0x1000n, dataLen: 4 }), 'EINVAL'],
    ['name pointer, no data pointer but data_len', header({ namePtr: 0x1000n, dataLen: 4 }), 'EINVAL'],
    ['data pointer with data_len 0', header({ namePtr: 0x1000n, dataPtr: 0x2000n }), 'EINVAL'],
    ['both ALL_OR flags', header({ flags: FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL }), 'EINVAL'],
    ['over the size limit', header({ dataLen: 2000 }), 'EMSGSIZE'],
  ];
  for (const [what, bytes, errno] of cases) {
    it(`${what} → ${errno}, and the message is discarded`, () => {
      const k = h.open();
      k.write(bytes.subarray(0, bytes.length - 1));
      assertErrno(() => k.write(bytes.subarray(bytes.length - 1)), errno);
      assertErrno(() => k.send(), 'ENOMSG');
    });
  }

  it('reports the first failing check: start guard before name_len before flags before size', () => {
    const k = h.open();
    assertErrno(() => k.write(header({ startGuard: 0, nameLen: 2000 })), 'EINVAL');
    assertErrno(() => k.write(header({ nameLen: 0, flags: FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL })), 'EINVAL');
    assertErrno(() => k.write(header({ nameLen: 1001, dataLen: 5000 })), 'ENAMETOOLONG');
    assertErrno(() => k.write(header({ flags: FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL, dataLen: 5000 })), 'EINVAL');
  });
});

describe('entire messages', () => {
  it('can be written one byte at a time, each write returning its count', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    const bytes = encodeEntire({ name: '$.Fred', data: Buffer.from('abc1234') }, h.pointerSize);
    for (const byte of bytes) assert.equal(a.write(Buffer.of(byte)), 1);
    assert.equal(b.numMsgs(), 0);
    a.send();
    assert.equal(h.next(b)!.data.toString(), 'abc1234');
  });

  it('refuses a bad final end guard when its last byte arrives', () => {
    const h = new Harness();
    const k = h.open();
    const bytes = encodeEntire({ name: '$.Fred', finalGuard: 0x12345678 }, h.pointerSize);
    k.write(bytes.subarray(0, bytes.length - 1));
    assertErrno(() => k.write(bytes.subarray(bytes.length - 1)), 'EINVAL');
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('refuses bytes after the final guard with EMSGSIZE, losing the complete message too', () => {
    const h = new Harness();
    const k = h.open();
    const bytes = encodeEntire({ name: '$.Fred' }, h.pointerSize);
    k.write(bytes);
    assertErrno(() => k.write(Buffer.of(0)), 'EMSGSIZE');
    assertErrno(() => k.send(), 'ENOMSG');
    assertErrno(() => k.write(Buffer.concat([bytes, Buffer.of(0)])), 'EMSGSIZE');
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('ignores padding bytes it is given and reads back zero padding', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    const bytes = encodeEntire({ name: '$.Fred', data: Buffer.from('abc') }, h.pointerSize);
    bytes[88 + 7] = 0xff; // name padding
    bytes[88 + 8 + 3] = 0xee; // data padding
    a.write(bytes);
    a.send();
    const length = b.nextMsg();
    const read = b.read(length);
    assert.equal(read[88 + 7], 0);
    assert.equal(read[88 + 8 + 3], 0);
  });

  it('fails SEND of a partly written message with EINVAL and discards it', () => {
    const h = new Harness();
    const k = h.open();
    k.write(encodeEntire({ name: '$.Fred' }, h.pointerSize).subarray(0, 50));
    assertErrno(() => k.send(), 'EINVAL');
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('accepts a message exactly at the size limit and refuses one byte more (pointy and entire alike)', () => {
    const h = new Harness();
    const k = h.open();
    const dataLen = 1024 - entireLength(6, 0, h.pointerSize);
    k.write(encodeEntire({ name: '$.Fred', data: Buffer.alloc(dataLen) }, h.pointerSize));
    k.send();
    assertErrno(() => k.write(encodeEntire({ name: '$.Fred', data: Buffer.alloc(dataLen + 1) }, h.pointerSize)), 'EMSGSIZE');
    assertErrno(() => k.write(encodeHeader({ ...emptyHeader(), nameLen: 6, dataLen: dataLen + 1, namePtr: 1n, dataPtr: 2n }, h.pointerSize)), 'EMSGSIZE');
  });

  it('checks the limit only at write(): lowering it afterwards does not stop the SEND', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    a.write(encodeEntire({ name: '$.Fred', data: Buffer.alloc(500) }, h.pointerSize));
    a.maxMsgSize(100);
    a.send();
    assert.equal(b.numMsgs(), 1);
  });

  it('delivers data around page sizes intact with a large limit', () => {
    const h = new Harness({ absoluteMaxMessageSize: 409600, defaultMaxMessageSize: 409600 });
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Big');
    for (const size of [2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 65563]) {
      const data = Buffer.alloc(size, size & 0xff);
      h.send(a, { name: '$.Big', data });
      assert.deepEqual(h.next(b)!.data, data);
    }
  });

  it('is refused on a read-only Ksock with EBADF', () => {
    const h = new Harness();
    const k = h.open('r');
    assertErrno(() => k.write(encodeEntire({ name: '$.Fred' }, h.pointerSize)), 'EBADF');
  });
});

describe('pointy messages', () => {
  const name = Buffer.from('$.Fred\0');
  const data = Buffer.from('hello');

  it('are complete after the header and fetched at SEND, not at write()', () => {
    const h = new Harness();
    const buffers = { '4096': Buffer.from(name), '8192': Buffer.from(data) };
    const a = h.open('rw', 0, memory(buffers));
    const b = h.open();
    b.bind('$.Fred');
    a.write(encodeHeader({ ...emptyHeader(), nameLen: 6, dataLen: 5, namePtr: 4096n, dataPtr: 8192n }, h.pointerSize));
    buffers['8192'].write('HELLO');
    a.send();
    buffers['8192'].write('xxxxx');
    const m = h.next(b)!;
    assert.equal(m.name, '$.Fred');
    assert.equal(m.data.toString(), 'HELLO');
  });

  it('are read back in the entire form with the same length as the entire equivalent', () => {
    const h = new Harness();
    const a = h.open('rw', 0, memory({ '4096': name, '8192': data }));
    const b = h.open();
    b.bind('$.Fred');
    a.write(encodeHeader({ ...emptyHeader(), nameLen: 6, dataLen: 5, namePtr: 4096n, dataPtr: 8192n }, h.pointerSize));
    a.send();
    h.send(a, { name: '$.Fred', data });
    const pointy = b.nextMsg();
    const pointyBytes = b.read(pointy);
    const entire = b.nextMsg();
    const entireBytes = b.read(entire);
    assert.equal(pointy, entireLength(6, 5, h.pointerSize));
    assert.equal(pointy, entire);
    assert.deepEqual(pointyBytes.subarray(12), entireBytes.subarray(12)); // all but the ids
  });

  it('give EFAULT at SEND for unusable pointers, the name\'s NUL included, with no id assigned', () => {
    const h = new Harness();
    const a = h.open('rw', 0, memory({ '4096': name, '5000': Buffer.from('$.Fred') }));
    a.write(encodeHeader({ ...emptyHeader(), nameLen: 6, namePtr: 5000n }, h.pointerSize));
    assertErrno(() => a.send(), 'EFAULT');
    a.write(encodeHeader({ ...emptyHeader(), nameLen: 6, dataLen: 5, namePtr: 4096n, dataPtr: 999n }, h.pointerSize));
    assertErrno(() => a.send(), 'EFAULT');
    a.write(encodeHeader({ ...emptyHeader(), nameLen: 6, namePtr: 777n }, h.pointerSize));
    assertErrno(() => a.send(), 'EFAULT');
    assert.deepEqual(a.lastSent(), { networkId: 0, serialNum: 0 });
  });

  it('refuse any byte after the header with EMSGSIZE', () => {
    const h = new Harness();
    const a = h.open('rw', 0, memory({ '4096': name }));
    const header = encodeHeader({ ...emptyHeader(), nameLen: 6, namePtr: 4096n }, h.pointerSize);
    assertErrno(() => a.write(Buffer.concat([header, Buffer.of(0)])), 'EMSGSIZE');
    assertErrno(() => a.send(), 'ENOMSG');
  });
});

describe('4-byte pointers', () => {
  it('use a 72-byte header and deliver the same message', () => {
    const h = new Harness({ pointerSize: 4 });
    const [a, b] = [h.open(), h.open()];
    b.bind('$.Fred');
    h.send(a, { name: '$.Fred', data: Buffer.from('abc1234') });
    assert.equal(b.nextMsg(), 92);
    const bytes = b.read(92);
    assert.equal(bytes.readUInt32LE(68), END_GUARD);
    assert.equal(bytes.subarray(72, 78).toString(), '$.Fred');
  });
});

describe('4-byte pointers, pointy', () => {
  it('take a 72-byte header with 4-byte pointers and deliver the 92-byte entire form', () => {
    const h = new Harness({ pointerSize: 4 });
    const a = h.open('rw', 0, memory({ '4096': Buffer.from('$.Fred\0'), '8192': Buffer.from('abc1234') }));
    const b = h.open();
    b.bind('$.Fred');
    const header = encodeHeader({ ...emptyHeader(), nameLen: 6, dataLen: 7, namePtr: 4096n, dataPtr: 8192n }, 4);
    assert.equal(header.length, 72);
    a.write(header);
    a.send();
    assert.equal(h.next(b)!.data.toString(), 'abc1234');
  });
});

describe('reading and writing are independent', () => {
  it('lets a Ksock pop and read while half-way through writing', () => {
    const h = new Harness();
    const [a, b] = [h.open(), h.open()];
    a.bind('$.Fred');
    const bytes = encodeEntire({ name: '$.Jim' }, h.pointerSize);
    a.write(bytes.subarray(0, 40));
    h.send(b, { name: '$.Fred' });
    assert.equal(h.next(a)!.name, '$.Fred');
    a.write(bytes.subarray(40));
    a.send();
  });
});
