/**
 * `kbus-agent --serve PATH` on a terminal, as on a serial line or a virtio console: the agent
 * makes it raw, so that frame bytes a terminal would take as line editing, signals or flow
 * control (CR, ^C, ^D, DEL, XON, XOFF) pass untouched and nothing is echoed back. A
 * pseudo-terminal stands in for the line.
 */

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cFunctions } from '../adapters/kernel/libc';
import { ERRNO } from '../wire/errno';
import { decodeAnswer, decodeHello, encodeFrame, type Frame, FrameReader, OP, STATUS, u32 } from '../wire/remote';
import { buildAgent, removeBuild, type Build } from './agent-harness';

const pty = cFunctions({
  posix_openpt: 'int posix_openpt(int flags)',
  grantpt: 'int grantpt(int fd)',
  unlockpt: 'int unlockpt(int fd)',
  ptsname: 'const char *ptsname(int fd)',
});

/** Bytes a cooked terminal would not pass as they are. */
const TERMINAL_BYTES = Buffer.from([0x0d, 0x03, 0x04, 0x7f, 0x11, 0x13, 0x0a]);

describe('kbus-agent --serve on a terminal', () => {
  let build: Build;
  let dir: string;
  before(() => {
    build = buildAgent('cc');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbus-serial-'));
  });
  after(() => {
    if (build) removeBuild(build);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes every byte untouched, echoes nothing, and answers each frame', async (t) => {
    if (build.skip) return t.skip(build.skip);
    const master = pty().posix_openpt(fs.constants.O_RDWR | fs.constants.O_NOCTTY) as number;
    if (master < 0 || (pty().grantpt(master) as number) < 0 || (pty().unlockpt(master) as number) < 0) return t.skip('no pseudo-terminals here');
    const line = pty().ptsname(master) as string;
    const agent = spawn(build.binary!, ['--device', path.join(dir, 'kbus0'), '--serve', line], { stdio: ['ignore', 'ignore', 'pipe'] });
    const input = fs.createReadStream('', { fd: master });
    // The line hangs up when the agent goes: that ends the stream, it is not a failure.
    input.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        agent.stderr.on('data', (d: Buffer) => (/serving/.test(d.toString()) ? resolve() : reject(new Error(d.toString()))));
        agent.once('exit', (code) => reject(new Error(`the agent exited with ${code}`)));
      });
      const reader = new FrameReader();
      const answers: Frame[] = [];
      const twoAnswers = new Promise<void>((resolve) =>
        input.on('data', (chunk) => {
          answers.push(...reader.push(Buffer.from(chunk)));
          if (answers.length >= 2) resolve();
        }),
      );
      // An OPEN whose id and device number are made of terminal bytes: ENOENT for that id, if they arrive as sent.
      const id = TERMINAL_BYTES.readUInt32LE(4 - 1);
      fs.writeSync(master, Buffer.concat([encodeFrame(1, OP.HELLO, u32(1)), encodeFrame(id, OP.OPEN, TERMINAL_BYTES.subarray(0, 4), u32(1))]));
      await twoAnswers;
      const [hello, open] = answers.map(decodeAnswer);
      assert.equal(hello!.status, STATUS.OK);
      assert.equal(decodeHello(hello!.body).pointerSize, 8);
      assert.deepEqual([open!.id, open!.status, open!.value], [id, STATUS.ERRNO, ERRNO.ENOENT]);
      assert.equal(reader.buffered, 0, 'bytes beyond the answers: an echo');
    } finally {
      agent.kill();
      input.destroy();
    }
  });
});
