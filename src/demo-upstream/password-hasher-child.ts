/**
 * The low-priority password hashing process (see password-hasher.ts). Lowers its priority before
 * it takes work. Everywhere: nice 19, the process's on macOS and Windows; on Linux, where a nice
 * value belongs to a thread, every thread's (libuv's pool may already run: the module loader reads
 * files through it; threads started later inherit the value of the thread that starts them). On
 * Linux also SCHED_IDLE through util-linux's `chrt` when it is installed: nice 19 still gets short
 * slices before a woken thread may run, while a SCHED_IDLE thread gives way at once (paced /mcp p99
 * with hashing beside it, medians of 6 rounds: nice 19 20.1 ms, SCHED_IDLE 15.1, no hashing 17.3).
 * Exits when the parent goes away.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { inProcessHasher, type HashReply, type HashRequest } from './password-hasher.js';

function lowerPriority(): void {
  try {
    setPriority(constants.priority.PRIORITY_LOW);
    if (process.platform === 'linux') for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: still correct, only without the scheduling benefit.
  }
  if (process.platform !== 'linux') return;
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    // No chrt (or not permitted): nice 19 stays.
  }
}

lowerPriority();

const hasher = inProcessHasher();

process.on('message', (request: HashRequest) => {
  const work = request.op === 'hash' ? hasher.hash(request.plain, request.params) : hasher.verify(request.hash, request.plain);
  work.then(
    (value) => process.send?.({ id: request.id, value } satisfies HashReply),
    (error: unknown) => process.send?.({ id: request.id, error: error instanceof Error ? error.message : 'unknown error' } satisfies HashReply),
  );
});
process.on('disconnect', () => process.exit(0));
