/**
 * The low-priority password hashing process (see password-hasher.ts). Lowers its priority before
 * it takes work: the process's on macOS and Windows; on Linux, where a nice value belongs to a
 * thread, every thread's — libuv's pool may already run (the module loader reads files through
 * it), and threads started later inherit the value of the thread that starts them. Exits when
 * the parent goes away.
 */
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
