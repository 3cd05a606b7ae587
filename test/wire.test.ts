/**
 * Golden bytes for the wire format, written out by hand from the catalogue's layout tables
 * (§4.2–4.4) for both pointer sizes, so that an encoder bug cannot hide behind a decoder bug.
 */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { END_GUARD, FLAG, PointerSize, START_GUARD } from '../wire/constants';
import { KbusError } from '../wire/errno';
import {
  decodeEntire,
  decodeHeader,
  decodeReplierBindEvent,
  emptyHeader,
  encodeEntire,
  encodeHeader,
  encodeReplierBindEvent,
  entireLength,
  headerSize,
  paddedDataLength,
  paddedNameLength,
} from '../wire/message';

/** Hex with spaces and `//` comments allowed, for byte tables laid out like the struct. */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\/\/.*$/gm, '').replace(/\s+/g, ''), 'hex');
}

const FIELDS = {
  id: { networkId: 1, serialNum: 2 },
  inReplyTo: { networkId: 3, serialNum: 4 },
  to: 5,
  from: 6,
  origFrom: { networkId: 7, localId: 8 },
  finalTo: { networkId: 9, localId: 10 },
  flags: 0x11,
};

const COMMON_HEAD = `
  4b627573                  // 0  start guard "Kbus"
  01000000 02000000         // 4  id
  03000000 04000000         // 12 in_reply_to
  05000000 06000000         // 20 to, from
  07000000 08000000         // 28 orig_from
  09000000 0a000000         // 36 final_to
  00000000 11000000         // 44 extra, flags
  06000000 07000000         // 52 name_len, data_len
`;
const NAME_DATA_GUARD = `
  242e467265640000          // "$.Fred", NUL, one zero pad byte
  6162633132333400          // "abc1234", one zero pad byte
  7375624b                  // final end guard "subK"
`;

const GOLDEN: Record<PointerSize, Buffer> = {
  8: hex(`${COMMON_HEAD}
    00000000                // 60 alignment hole
    0000000000000000        // 64 name pointer (NULL)
    0000000000000000        // 72 data pointer (NULL)
    7375624b                // 80 end guard
    00000000                // 84 tail padding
    ${NAME_DATA_GUARD}`),
  4: hex(`${COMMON_HEAD}
    00000000                // 60 name pointer (NULL)
    00000000                // 64 data pointer (NULL)
    7375624b                // 68 end guard
    ${NAME_DATA_GUARD}`),
};

for (const ps of [8, 4] as const) {
  describe(`wire format with ${ps}-byte pointers`, () => {
    it('has the header size of the platform', () => {
      assert.equal(headerSize(ps), ps === 8 ? 88 : 72);
    });

    it('encodes an entire message byte for byte', () => {
      const bytes = encodeEntire({ ...FIELDS, name: '$.Fred', data: Buffer.from('abc1234') }, ps);
      assert.deepEqual(bytes, GOLDEN[ps]);
      assert.equal(bytes.length, ps === 8 ? 108 : 92);
    });

    it('decodes the golden bytes back to the same fields', () => {
      const m = decodeEntire(GOLDEN[ps], ps);
      assert.deepEqual({ ...m, data: m.data.toString() }, { ...FIELDS, extra: 0, name: '$.Fred', data: 'abc1234' });
    });

    it('puts the guards in memory as "Kbus" and "subK"', () => {
      const bytes = encodeEntire({ name: '$.Fred' }, ps);
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'Kbus');
      assert.equal(bytes.subarray(headerSize(ps) - (ps === 8 ? 8 : 4), headerSize(ps) - (ps === 8 ? 4 : 0)).toString('latin1'), 'subK');
      assert.equal(bytes.subarray(bytes.length - 4).toString('latin1'), 'subK');
    });

    it('computes entire lengths as header + padded name + padded data + 4', () => {
      const less = ps === 8 ? 0 : 16;
      assert.equal(entireLength(6, 0, ps), 100 - less);
      assert.equal(entireLength(6, 4, ps), 104 - less);
      assert.equal(entireLength(6, 7, ps), 108 - less);
      assert.equal(entireLength(3, 0, ps), 96 - less);
      assert.equal(entireLength(1000, 0, ps), 1096 - less);
    });

    it('places pointers in a pointy header at their offsets', () => {
      const h = { ...emptyHeader(), nameLen: 6, dataLen: 2, namePtr: 0x11223344n, dataPtr: 0x55667788n };
      const b = encodeHeader(h, ps);
      assert.equal(b.length, headerSize(ps));
      if (ps === 8) {
        assert.equal(b.readBigUInt64LE(64), 0x11223344n);
        assert.equal(b.readBigUInt64LE(72), 0x55667788n);
        assert.equal(b.readUInt32LE(80), END_GUARD);
      } else {
        assert.equal(b.readUInt32LE(60), 0x11223344);
        assert.equal(b.readUInt32LE(64), 0x55667788);
        assert.equal(b.readUInt32LE(68), END_GUARD);
      }
      assert.deepEqual(decodeHeader(b, ps), h);
    });

    describe('decodeEntire refuses malformed bytes with the device errno', () => {
      const good = () => Buffer.from(GOLDEN[ps]);
      const endGuardAt = ps === 8 ? 80 : 68;
      const cases: [string, () => Buffer, string, number?][] = [
        ['bad start guard', () => withU32(good(), 0, 0x12345678), 'EINVAL'],
        ['bad header end guard', () => withU32(good(), endGuardAt, 0), 'EINVAL'],
        ['name_len 0', () => withU32(good(), 52, 0), 'EINVAL'],
        ['name_len 1001', () => withU32(good(), 52, 1001), 'ENAMETOOLONG'],
        ['data pointer without name pointer', () => withU32(good(), ps === 8 ? 72 : 64, 0x1000), 'EINVAL'],
        ['ALL_OR_WAIT with ALL_OR_FAIL', () => withU32(good(), 48, FLAG.ALL_OR_WAIT | FLAG.ALL_OR_FAIL), 'EINVAL'],
        ['one byte over the size limit', good, 'EMSGSIZE', GOLDEN[ps].length - 1],
        ['a wildcard name', () => encodeEntire({ name: '$.Fred.*' }, ps), 'EBADMSG'],
        ['a malformed name', () => encodeEntire({ name: '$.Fr-d' }, ps), 'EBADMSG'],
        ['too few bytes', () => good().subarray(0, GOLDEN[ps].length - 4), 'EINVAL'],
        ['bad final end guard', () => withU32(good(), GOLDEN[ps].length - 4, START_GUARD), 'EINVAL'],
        ['bytes after the final guard', () => Buffer.concat([good(), Buffer.alloc(4)]), 'EMSGSIZE'],
      ];
      for (const [what, bytes, errno, max] of cases) {
        it(`${what} → ${errno}`, () => {
          assert.throws(() => decodeEntire(bytes(), ps, max), (e: unknown) => e instanceof KbusError && e.errno === errno);
        });
      }
    });
  });
}

describe('padding rules', () => {
  it('always pads a name with 1 to 4 bytes', () => {
    assert.deepEqual([3, 4, 6, 7, 8].map(paddedNameLength), [4, 8, 8, 8, 12]);
  });

  it('pads data to a multiple of 4, not at all when already one', () => {
    assert.deepEqual([0, 1, 4, 5, 7].map(paddedDataLength), [0, 4, 4, 8, 8]);
  });
});

describe('replier bind event payload', () => {
  const golden = hex(`
    01000000                // is_bind
    05000000                // binder
    06000000                // name_len = strlen
    242e467265640000        // "$.Fred", NUL, zero pad
  `);

  it('is 20 bytes for $.Fred, laid out as three u32 and the padded name', () => {
    assert.deepEqual(encodeReplierBindEvent({ isBind: true, binder: 5, name: '$.Fred' }), golden);
  });

  it('decodes back', () => {
    assert.deepEqual(decodeReplierBindEvent(golden), { isBind: true, binder: 5, name: '$.Fred' });
  });
});

function withU32(b: Buffer, offset: number, value: number): Buffer {
  b.writeUInt32LE(value >>> 0, offset);
  return b;
}
