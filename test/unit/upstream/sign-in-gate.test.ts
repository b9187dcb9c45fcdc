import { describe, expect, it } from 'vitest';
import { gateSignIns, SignInBusyError, type SignInResult, type Upstream } from '../../../src/upstream/index.js';

/** An upstream whose sign-ins finish when the test says so. */
function heldUpstream() {
  const pending: Array<{ email: string; finish: (ok: boolean) => void }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const upstream = {
    async signIn(email: string) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise<void>((resolve, reject) => pending.push({ email, finish: (ok) => (ok ? resolve() : reject(new Error('upstream down'))) }));
        return { accessToken: `token-${email}`, expiresAt: 0, account: {} } as unknown as SignInResult;
      } finally {
        inFlight--;
      }
    },
    async ping() {},
  } as unknown as Upstream;
  return { upstream, pending, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('gateSignIns', () => {
  it('keeps at most `concurrent` checks in flight and admits the rest first come, first served', async () => {
    const held = heldUpstream();
    const gated = gateSignIns(held.upstream, { concurrent: 2 });
    const results = Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((email) => gated.signIn(email, 'pw')));
    await tick();
    expect(held.pending.map((p) => p.email)).toEqual(['a', 'b']);
    held.pending.shift()!.finish(true);
    await tick();
    held.pending.shift()!.finish(false); // a failure frees its slot too
    await tick();
    expect(held.pending.map((p) => p.email)).toEqual(['c', 'd']);
    while (held.pending.length > 0) {
      held.pending.shift()!.finish(true);
      await tick();
    }
    const settled = await results;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(held.maxInFlight()).toBe(2);
  });

  it('refuses at once when the line is full, and after waiting too long', async () => {
    const held = heldUpstream();
    const gated = gateSignIns(held.upstream, { concurrent: 1, maxWaiting: 1, maxWaitMs: 50 });
    const first = gated.signIn('a', 'pw');
    const second = gated.signIn('b', 'pw');
    await expect(gated.signIn('c', 'pw')).rejects.toBeInstanceOf(SignInBusyError);
    await expect(second).rejects.toBeInstanceOf(SignInBusyError);
    await tick();
    held.pending.shift()!.finish(true);
    await expect(first).resolves.toMatchObject({ accessToken: 'token-a' });
    // The line is empty again: the next one goes straight through.
    const next = gated.signIn('d', 'pw');
    await tick();
    expect(held.pending.map((p) => p.email)).toEqual(['d']);
    held.pending.shift()!.finish(true);
    await next;
  });

  it('leaves every other method to the upstream', async () => {
    const held = heldUpstream();
    const gated = gateSignIns(held.upstream, { concurrent: 1 });
    await expect(gated.ping()).resolves.toBeUndefined();
    expect(() => gateSignIns(held.upstream, { concurrent: 0 })).toThrow(RangeError);
  });
});
