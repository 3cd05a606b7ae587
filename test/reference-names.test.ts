/** Names: what BIND, UNBIND and message headers accept (NAME-01…14). */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { KBUS_NAME } from '../wire/constants';
import { emptyHeader, encodeEntire, encodeHeader } from '../wire/message';
import { Harness, assertErrno } from './reference-harness';

describe('names given to BIND and UNBIND', () => {
  const bad = ['Fred', '$x', '$', '$.Fred.', '$.Fred..', '$.Fred..Jim', '$..x', '$.Fr-d', '$.Fr d', "$.Fr'd", '$.Fr#d', '$.Fr_d', '$.Fred*', '$.*.Fred', '$.Fred.**', '$.%x', '$.Caf\u00c3\u00a9'];
  for (const name of bad) {
    it(`refuses ${JSON.stringify(name)} with EBADMSG, bound or unbound`, () => {
      const h = new Harness();
      const k = h.open();
      assertErrno(() => k.bind(name), 'EBADMSG');
      assertErrno(() => k.unbind(name), 'EBADMSG');
    });
  }

  const good = ['$.Fred', '$.Fred.Jim.Fred.Jim.MoreNames.And.More', '$.QuiteLongWordsAreAllowedInNames', '$.Question17', '$.Fred.*', '$.Fred.%', '$.*', '$.%', '$.Caf\u00e9', '$.7'];
  for (const name of good) {
    it(`accepts ${JSON.stringify(name)}`, () => {
      const h = new Harness();
      const k = h.open();
      k.bind(name);
      k.unbind(name);
    });
  }

  it('refuses the Latin-1 multiplication and division signs (not kernel alphanumerics)', () => {
    const k = new Harness().open();
    assertErrno(() => k.bind('$.a\u00d7b'), 'EBADMSG');
    assertErrno(() => k.bind('$.a\u00f7b'), 'EBADMSG');
  });

  it('gives EBADMSG for name_len 0 and ENAMETOOLONG above 1000, before looking at the bytes', () => {
    const k = new Harness().open();
    assertErrno(() => k.bind(Buffer.from('$.Fred'), false, 0), 'EBADMSG');
    assertErrno(() => k.unbind(Buffer.from('$.Fred'), false, 0), 'EBADMSG');
    assertErrno(() => k.bind(Buffer.alloc(1001, 0x2d), false, 1001), 'ENAMETOOLONG');
    assertErrno(() => k.unbind(Buffer.alloc(1001, 0x2d), false, 1001), 'ENAMETOOLONG');
  });

  it('accepts a name of exactly 1000 bytes', () => {
    const k = new Harness().open();
    k.bind(`$.${'a'.repeat(998)}`);
  });

  it('uses only name_len bytes of the name given', () => {
    const h = new Harness();
    const k = h.open();
    k.bind(Buffer.from('$.Fred.Jim'), true, 6);
    assert.equal(k.replierOf('$.Fred'), k.id);
  });

  it('treats names as case-sensitive', () => {
    const h = new Harness();
    const a = h.open();
    const b = h.open();
    a.bind('$.This.is.a.different.name', true);
    b.bind('$.THIS.is.a.different.name', true);
    a.bind('$.Fred');
    h.send(b, { name: '$.FRED' });
    assert.equal(a.numMsgs(), 0);
  });

  it(`lets ${KBUS_NAME.REPLIER_BIND_EVENT} be bound as listener but never as replier`, () => {
    const k = new Harness().open();
    k.bind(KBUS_NAME.REPLIER_BIND_EVENT);
    assertErrno(() => k.bind(KBUS_NAME.REPLIER_BIND_EVENT, true), 'EBADMSG');
    k.bind('$.KBUS.*', true);
  });
});

describe('names of messages', () => {
  it('refuses an entire message to a wildcard with EBADMSG once the name bytes are in', () => {
    const h = new Harness();
    const k = h.open();
    const bytes = encodeEntire({ name: '$.Fred.*' }, h.pointerSize);
    const nameEnd = 88 + 8;
    k.write(bytes.subarray(0, nameEnd - 1));
    assertErrno(() => k.write(bytes.subarray(nameEnd - 1, nameEnd)), 'EBADMSG');
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('refuses a malformed entire-message name in write()', () => {
    const h = new Harness();
    const k = h.open();
    assertErrno(() => k.write(encodeEntire({ name: '$.Fred.' }, h.pointerSize)), 'EBADMSG');
  });

  it('refuses a pointy message to a wildcard at SEND, delivering nothing and assigning no id', () => {
    const name = Buffer.from('$.Fred.%\0');
    const h = new Harness();
    const listener = h.open();
    listener.bind('$.Fred.*');
    const k = h.open('rw', 0, { read: (address, length) => (address === 0x1000n ? name.subarray(0, length) : null) });
    k.write(encodeHeader({ ...emptyHeader(), nameLen: name.length - 1, namePtr: 0x1000n }, h.pointerSize));
    assertErrno(() => k.send(), 'EBADMSG');
    assert.deepEqual(k.lastSent(), { networkId: 0, serialNum: 0 });
    assert.equal(listener.numMsgs(), 0);
    assertErrno(() => k.send(), 'ENOMSG');
  });

  it('gives EINVAL for a header with name_len 0 and ENAMETOOLONG above 1000', () => {
    const h = new Harness({ absoluteMaxMessageSize: 409600 });
    const k = h.open();
    assertErrno(() => k.write(encodeHeader({ ...emptyHeader(), nameLen: 0 }, h.pointerSize)), 'EINVAL');
    assertErrno(() => k.write(encodeHeader({ ...emptyHeader(), nameLen: 1001 }, h.pointerSize)), 'ENAMETOOLONG');
  });

  it('checks ENAMETOOLONG before the size limit', () => {
    const h = new Harness();
    const k = h.open();
    assertErrno(() => k.write(encodeHeader({ ...emptyHeader(), nameLen: 1001, dataLen: 5000 }, h.pointerSize)), 'ENAMETOOLONG');
  });
});
