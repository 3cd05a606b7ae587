/**
 * Per-operation latency through a reference device served by FUSE, beside the same operation
 * as a plain in-process call to the reference: median and 99th percentile of many calls.
 *
 *   node dist/bench/fuse.bench.js        (needs root and /dev/fuse)
 */

import { KernelKsock } from '../adapters/kernel/ksock';
import { sysOpen } from '../adapters/kernel/syscalls';
import { KbusSystem } from '../reference';
import { encodeEntire } from '../wire/message';
import { fuseUnavailable, startServer } from '../test/fuse-harness';
import { CALLS, latencyCell, measure } from './latency';

async function main(): Promise<void> {
  const why = fuseUnavailable();
  if (why) {
    console.log(`skipped: FUSE unavailable: ${why}`);
    return;
  }
  const message = encodeEntire({ name: '$.Bench.Latency', data: Buffer.alloc(64) });
  const served = await startServer();
  try {
    const file = served.device(0);
    const sender = new KernelKsock(sysOpen(file, 'rw'), 8, () => undefined);
    const listener = new KernelKsock(sysOpen(file, 'r'), 8, () => undefined);
    await listener.bind('$.Bench.Latency', false);

    const system = new KbusSystem();
    const refSender = system.open(0, 'rw');
    const refListener = system.open(0, 'r');
    refListener.bind('$.Bench.Latency');

    const rows: [string, () => unknown, () => unknown][] = [
      ['KSOCKID ioctl', () => sender.ksockId(), () => refSender.ksockId()],
      [
        'write + SEND + NEXTMSG + read (announcement, 64 data bytes)',
        async () => {
          await sender.write(message);
          await sender.send();
          await listener.read(await listener.nextMsg());
        },
        () => {
          refSender.write(message);
          refSender.send();
          refListener.read(refListener.nextMsg());
        },
      ],
      ['poll, nothing waiting (timeout 0)', () => listener.poll({ readable: true }, 0), () => refListener.poll()],
    ];
    console.log(`median / p99 latency in microseconds over ${CALLS} calls`);
    console.log('operation'.padEnd(62) + 'FUSE device'.padStart(20) + 'in-process'.padStart(20) + 'ratio'.padStart(8));
    for (const [name, device, inProcess] of rows) {
      const d = await measure(device);
      const r = await measure(inProcess);
      console.log(name.padEnd(62) + latencyCell(d) + latencyCell(r) + `${(d.median / r.median).toFixed(0)}x`.padStart(8));
    }
    await sender.close();
    await listener.close();
  } finally {
    await served.stop();
  }
}

void main();
