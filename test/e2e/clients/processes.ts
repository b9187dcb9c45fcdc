/** Child processes for the real-client tests: run to completion, or watch stderr for a line. */
import { execFile, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';

export const BIN = (name: string) => path.resolve('node_modules/.bin', name);

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script with arguments; never rejects, so a test can assert on the exit code. */
export function runNode(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<Finished> } {
  let child!: ChildProcess;
  const done = new Promise<Finished>((resolve) => {
    child = execFile(process.execPath, args, { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 45_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
  return { child, done };
}

/** Resolves with the first match of `pattern` in what the stream prints (lines may arrive in pieces). */
export function waitForOutput(stream: Readable, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`did not print ${pattern} within ${timeoutMs} ms; printed:\n${seen.slice(-4000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer | string) => {
      seen += String(chunk);
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(match);
      }
    };
    stream.on('data', onData);
  });
}

