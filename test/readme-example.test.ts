// The README's "Using the reference device in your own tests" example, kept honest.
import { test } from 'node:test';
import * as assert from 'node:assert';
import { KbusSystem, encodeEntire, decodeEntire, FLAG, KbusError } from '../index';

test('the README example of testing a client against the reference device runs as written', () => {
  const kbus = new KbusSystem();
  const client = kbus.open(0);
  const server = kbus.open(0);
  server.bind('$.Sensors.Kitchen', true);

  client.write(encodeEntire({ name: '$.Sensors.Kitchen', flags: FLAG.WANT_A_REPLY }, kbus.pointerSize));
  const id = client.send();

  const request = decodeEntire(server.read(server.nextMsg()), kbus.pointerSize);
  assert.deepStrictEqual(request.id, id);
  assert.strictEqual(request.from, client.ksockId());

  server.close();
  const status = decodeEntire(client.read(client.nextMsg()), kbus.pointerSize);
  assert.strictEqual(status.name, '$.KBUS.Replier.Ignored');

  assert.throws(() => client.bind('$.Sensors.', false), (e: unknown) => e instanceof KbusError && e.errno === 'EBADMSG');
});
