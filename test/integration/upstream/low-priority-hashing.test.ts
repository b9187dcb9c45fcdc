import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { lowPriorityHasher, type LowPriorityHasher } from '../../../src/demo-upstream/password-hasher.js';
import { startDemoUpstream } from '../../../src/demo-upstream/index.js';
import { hasChrt } from '../../helpers/chrt.js';

const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const SLOW = { memoryCost: 19_456, timeCost: 6, parallelism: 1 };

let hasher: LowPriorityHasher | undefined;
afterEach(async () => {
  await hasher?.close();
  hasher = undefined;
});

const SCHED_IDLE = 5;

/** CPU ticks (user + system), nice value and scheduling policy of each thread of `pid`, from /proc. */
function threads(pid: number): Map<number, { ticks: number; nice: number; policy: number }> {
  const out = new Map<number, { ticks: number; nice: number; policy: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after "pid (comm) ": the comm may hold spaces, so split after its closing parenthesis.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), { ticks: Number(f[11]) + Number(f[12]), nice: Number(f[16]), policy: Number(f[38]) });
  }
  return out;
}

describe('low-priority password hashing (demo upstream)', () => {
  it('hashes and verifies in a child process at the lowest CPU priority', async () => {
    hasher = lowPriorityHasher();
    expect(hasher.pid).toBeUndefined();
    const hash = await hasher.hash('correct horse', FAST);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await hasher.verify(hash, 'correct horse')).toBe(true);
    expect(await hasher.verify(hash, 'wrong horse')).toBe(false);
    expect(hasher.pid).not.toBe(process.pid);
    expect(getPriority(hasher.pid!)).toBe(19);
  });

  it.runIf(process.platform === 'linux')('runs the argon2 work itself on threads at nice 19, SCHED_IDLE where chrt is installed (Linux: reads /proc)', async () => {
    const idle = hasChrt();
    hasher = lowPriorityHasher();
    await hasher.hash('warm up', FAST);
    const pid = hasher.pid!;
    const before = threads(pid);
    for (let i = 0; i < 4; i++) await hasher.hash(`password ${i}`, SLOW);
    let lowered = 0;
    let total = 0;
    for (const [tid, t] of threads(pid)) {
      if (tid === pid) continue; // the main thread only passes messages
      const used = t.ticks - (before.get(tid)?.ticks ?? 0);
      total += used;
      if (t.nice === 19 && (!idle || t.policy === SCHED_IDLE)) lowered += used;
    }
    expect(total).toBeGreaterThan(5); // 4 slow hashes: well over 50 ms of CPU
    expect(lowered / total).toBeGreaterThan(0.9);
  });

  it('fails the pending calls of a child that dies, clearly, and starts a new one for the next call', async () => {
    hasher = lowPriorityHasher();
    await hasher.hash('warm up', FAST);
    const first = hasher.pid!;
    const pending = hasher.hash('slow', SLOW);
    process.kill(first, 'SIGKILL');
    await expect(pending).rejects.toThrow('the password hashing process exited');
    expect(await hasher.verify(await hasher.hash('again', FAST), 'again')).toBe(true);
    expect(hasher.pid).not.toBe(first);
  });

  it.runIf(process.platform === 'linux')('stops its child on close, and the demo upstream closes it with the server (Linux: reads /proc)', async () => {
    hasher = lowPriorityHasher();
    await hasher.hash('warm up', FAST);
    const pid = hasher.pid!;
    await hasher.close();
    expect(() => process.kill(pid, 0)).toThrow();

    const demo = await startDemoUpstream({ argon2: FAST, lowPriorityHashing: true });
    const res = await fetch(`${demo.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'admin@example.com', password: 'demo-password' }),
    });
    expect(res.status).toBe(200);
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    expect(children.length).toBeGreaterThan(0);
    await demo.close();
    for (const child of children) expect(() => process.kill(child, 0)).toThrow();
  });
});
