/**
 * A throwaway redis-server for integration tests: loopback only, a free port, no persistence, stopped
 * by its PID. It needs Debian's `redis-server` binary; when that is missing the tests that ask for
 * it fail (never skip) with the command to install it. It does not talk Redis beyond PING: tests
 * use a real client for anything else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';
import os from 'node:os';

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops and starts again on the same port, empty (for fault tests). */
  restart(): Promise<void>;
}

const INSTALL_HINT = 'redis-server is not installed: run `apt-get install -y redis-server` (CI installs it in .ci/run).';
const START_TIMEOUT_MS = 5_000;

/** `args` are extra redis-server arguments, e.g. `['--rename-command', 'GETDEL', '']`. */
export async function startRedisServer(options: { args?: string[] } = {}): Promise<RunningRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, options.args ?? []);

  const stop = async () => {
    const running = child;
    child = undefined;
    if (running !== undefined) await kill(running);
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      await stop();
      child = await launch(port, options.args ?? []);
    },
  };
}

async function launch(port: number, extraArgs: string[]): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir(), ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT) : error);
    });
    child.once('exit', (code, signal) => {
      reject(new Error(`redis-server exited during start-up (code ${code}, signal ${signal}):\n${output}`));
    });
  });
  exited.catch(() => {});

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answered = await Promise.race([answersPing(port), exited]);
    if (answered) return child;
    await Promise.race([sleep(20), exited]);
  }
  await kill(child);
  throw new Error(`redis-server did not answer PING on port ${port} within ${START_TIMEOUT_MS} ms:\n${output}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // With --requirepass the answer is -NOAUTH: still a server that is up.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)]);
  if (!killed) {
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
