/**
 * One connection to an agent: a spawned command's stdio, a TCP or Unix socket, or a serial
 * line; requests carry ids so that several are in flight at once (a Ksock waits in POLL while
 * another sends), and answers come back in any order.
 *
 * A connection that dies (the agent exits, the line drops, the agent sends garbage) fails
 * every call waiting on it and every later one with `AgentLost`, which is not a `KbusError`:
 * the scenario is broken, not failed.
 */

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tty from 'node:tty';
import type { Readable, Writable } from 'node:stream';
import { KbusError } from '../../wire/errno';
import { type Answer, decodeAnswer, encodeFrame, FATAL_ID, FrameReader, OP, type OpName, ProtocolError, STATUS } from '../../wire/remote';

export class AgentLost extends Error {
  override name = 'AgentLost';
}

interface Waiting {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

const SPAWNED_EXIT_GRACE_MS = 1_000;

/** Request ids run up to here and wrap; FATAL_ID is the agent's. */
const LAST_ID = 0x7fffffff;

export class AgentConnection {
  private readonly reader = new FrameReader();
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private lost?: AgentLost;
  /** The agent's own last words on stderr, when it has one: they usually say what went wrong. */
  private lastStderrLine = '';

  private constructor(
    readonly transport: string,
    input: Readable,
    private readonly output: Writable,
    private readonly release: () => void,
  ) {
    input.on('data', (chunk: Buffer) => this.received(chunk));
    input.on('end', () => this.ended('the agent closed the connection'));
    input.on('error', (e) => this.ended(e.message));
    output.on('error', (e) => this.ended(e.message));
  }

  /** How long a spawned agent whose output ended may take to exit, so that its exit status is the reason given. */
  private exitGrace?: number;

  private ended(reason: string): void {
    if (this.exitGrace === undefined) this.die(reason);
    else setTimeout(() => this.die(reason), this.exitGrace).unref();
  }

  /** Spawns `command` with a shell and speaks over its stdin and stdout (e.g. `ssh root@board kbus-agent`). */
  static spawn(command: string): AgentConnection {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = new AgentConnection(`agent ${command}`, child.stdout, child.stdin, () => child.kill('SIGTERM'));
    connection.exitGrace = SPAWNED_EXIT_GRACE_MS;
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length > 0) connection.lastStderrLine = lines[lines.length - 1]!.trim();
    });
    child.on('error', (e) => connection.die(`cannot start ${command}: ${e.message}`));
    // 'close' rather than 'exit': by then the agent's last words on stderr have been read.
    child.on('close', (code, signal) => connection.die(`the agent exited with ${signal ?? `code ${code}`}`));
    return connection;
  }

  /** `tcp:HOST:PORT`, `unix:PATH`, or the path of a serial line or console. */
  static async connect(where: string): Promise<AgentConnection> {
    const tcp = /^tcp:(.*):(\d+)$/.exec(where);
    if (tcp || where.startsWith('unix:')) {
      const socket = tcp ? net.connect({ host: tcp[1] || 'localhost', port: Number(tcp[2]) }) : net.connect({ path: where.slice(5) });
      socket.setNoDelay?.(true);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (e) => reject(new AgentLost(`cannot connect to ${where}: ${e.message}`)));
      });
      return new AgentConnection(where, socket, socket, () => socket.destroy());
    }
    if (where.startsWith('tcp:')) throw new AgentLost(`--connect ${where}: a TCP agent is tcp:HOST:PORT`);
    let fd: number;
    try {
      fd = fs.openSync(where, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    } catch (e) {
      throw new AgentLost(`cannot open ${where}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // A serial line must pass bytes untouched: raw, no echo (the agent does the same on its side).
    if (tty.isatty(fd)) spawnSync('stty', ['-F', where, 'raw', '-echo']);
    const input = fs.createReadStream('', { fd, autoClose: false, highWaterMark: 64 * 1024 });
    const output = fs.createWriteStream('', { fd, autoClose: false });
    return new AgentConnection(where, input, output, () => {
      input.destroy();
      output.destroy();
      fs.closeSync(fd);
    });
  }

  private received(chunk: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.die(`the agent sent garbage: ${(e as ProtocolError).message}`);
      return;
    }
    for (const frame of frames) {
      if (frame.id === FATAL_ID) {
        this.die(`the agent ended the connection: ${frame.body.subarray(4).toString('utf8')}`);
        return;
      }
      const waiting = this.waiting.get(frame.id);
      if (!waiting) {
        this.die(`the agent answered request ${frame.id}, which nobody asked`);
        return;
      }
      this.waiting.delete(frame.id);
      try {
        waiting.resolve(decodeAnswer(frame));
      } catch (e) {
        this.die(`the agent sent garbage: ${(e as Error).message}`);
        return;
      }
    }
  }

  /** Why the connection is gone, or undefined while it is up. */
  get failure(): AgentLost | undefined {
    return this.lost;
  }

  private die(reason: string): void {
    if (this.lost) return;
    this.lost = new AgentLost(`${this.transport}: ${reason}${this.lastStderrLine ? ` (${this.lastStderrLine})` : ''}`);
    for (const w of this.waiting.values()) w.reject(this.lost);
    this.waiting.clear();
    this.release();
  }

  /** Sends a request; resolves with the OK or ERRNO answer, rejects on BAD_REQUEST or a lost connection. */
  call(op: OpName, ...parts: Uint8Array[]): Promise<Answer> {
    if (this.lost) return Promise.reject(this.lost);
    const id = this.nextId;
    this.nextId = id === LAST_ID ? 1 : id + 1;
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (answer) => {
          if (answer.status === STATUS.OK || answer.status === STATUS.ERRNO) resolve(answer);
          else reject(new ProtocolError(`the agent refused ${op}: ${answer.body.toString('utf8') || `status ${answer.status}`}`));
        },
        reject,
      });
      this.output.write(encodeFrame(id, OP[op], ...parts));
    });
  }

  /** The value of a call that must succeed: an ERRNO answer rejects as the device's `KbusError`. */
  async value(op: OpName, operation: string, ...parts: Uint8Array[]): Promise<Answer> {
    const answer = await this.call(op, ...parts);
    if (answer.status === STATUS.ERRNO) throw KbusError.fromCode(answer.value, operation);
    return answer;
  }

  close(): void {
    this.die('closed by the suite');
  }
}
