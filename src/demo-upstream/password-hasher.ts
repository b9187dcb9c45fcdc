/**
 * Where the demo upstream's argon2id work runs. In-process by default (tests, small scripts); the
 * standalone and embedded demo upstreams use a child process at the lowest CPU priority instead,
 * because they share a small box with the gateway: a password check takes a core for tens of
 * milliseconds, and on two cores that would queue tool calls behind it. At low priority
 * (SCHED_IDLE on Linux with util-linux's chrt, else nice 19; see the child) the kernel runs hashing
 * only when nothing else wants the CPU; under load sign-ins wait, tool calls do not.
 * Passwords cross a local IPC pipe only; nothing here logs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as argon2 from 'argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(plain: string, params: Argon2Params): Promise<string>;
  verify(hash: string, plain: string): Promise<boolean>;
  close(): Promise<void>;
}

export type HashRequest =
  | { id: number; op: 'hash'; plain: string; params: Argon2Params }
  | { id: number; op: 'verify'; hash: string; plain: string };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type HashReply = { id: number; value: string | boolean } | { id: number; error: string };

export function inProcessHasher(): PasswordHasher {
  return {
    hash: (plain, params) => argon2.hash(plain, { type: argon2.argon2id, ...params }),
    verify: (hash, plain) => argon2.verify(hash, plain),
    close: async () => {},
  };
}

/** The child's entry, beside this module (.ts under tsx and vitest, .js once built). */
function childEntry(): { path: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`./password-hasher-child.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [] };
}

export interface LowPriorityHasher extends PasswordHasher {
  /** The child's pid while it runs (for tests and diagnostics). */
  readonly pid: number | undefined;
}

/**
 * Hashes in a child process started on first use (and again after it dies); the child lowers its
 * own priority before argon2 starts the thread pool, so the pool's threads inherit it. The IPC
 * channel holds the parent's event loop open only while a request is pending.
 */
export function lowPriorityHasher(): LowPriorityHasher {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: string | boolean) => void; reject: (error: Error) => void }>();

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function start(): ChildProcess {
    const entry = childEntry();
    const c = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
    c.on('message', (reply: HashReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (pending.size === 0) c.channel?.unref();
      if ('error' in reply) p.reject(new Error(`password hashing failed: ${reply.error}`));
      else p.resolve(reply.value);
    });
    c.on('exit', () => {
      if (child === c) child = undefined;
      failAll(new Error('the password hashing process exited'));
    });
    c.on('error', (error) => {
      if (child === c) child = undefined;
      c.kill(); // the next call starts a fresh one; never leave this one running beside it
      failAll(new Error(`the password hashing process failed: ${error.message}`));
    });
    c.unref();
    c.channel?.unref();
    return c;
  }

  function call(request: WithoutId<HashRequest>): Promise<string | boolean> {
    child ??= start();
    const c = child;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      c.channel?.ref();
      c.send({ ...request, id } as HashRequest, (error) => {
        if (error && pending.delete(id)) reject(new Error(`the password hashing process is unreachable: ${error.message}`));
      });
    });
  }

  return {
    get pid() {
      return child?.pid;
    },
    hash: async (plain, params) => (await call({ op: 'hash', plain, params })) as string,
    verify: async (hash, plain) => (await call({ op: 'verify', hash, plain })) === true,
    async close() {
      const c = child;
      child = undefined;
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.ref(); // until it has exited
      c.kill();
      await exited;
    },
  };
}
