/**
 * Child processes of the benchmark: each server runs in its own Node process (tsx loader, compiled
 * once at start) so the load generator, the gateway, the upstream and the peer never share an event
 * loop, and each one's CPU time can be read from /proc per measurement cell.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface Child {
  name: string;
  pid: number;
  proc: ChildProcess;
  output: string[];
  /**
   * User + system CPU time of the process and its descendants so far, in ms (Linux /proc): the
   * demo upstream checks passwords in a child process of its own.
   */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** CPU ticks of `pid`, its reaped children and its live descendants. */
function treeTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]); // utime, stime, cutime, cstime
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const child of children === '' ? [] : children.split(' ')) {
      try {
        ticks += treeTicks(Number(child));
      } catch {
        // the child ended meanwhile; once reaped it counts in cutime
      }
    }
  }
  return ticks;
}

/** Spawns `node --import tsx [nodeArgs] <script>` in the repository root, or in another checkout (`cwd`). */
export function spawnNode(name: string, script: string, env: Record<string, string>, nodeArgs: string[] = [], cwd = ROOT): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, script], {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 200) output.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const pid = proc.pid!;
  return {
    name,
    pid,
    proc,
    output,
    cpuMs() {
      try {
        return treeTicks(pid) * TICK_MS;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, or fails with the child's output. */
export async function waitReady(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.output.join('')}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms:\n${child.output.join('')}`);
}
