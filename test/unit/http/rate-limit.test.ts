import { describe, expect, it } from 'vitest';
import { consumeRateLimit, refundRateLimit, type RateLimit } from '../../../src/http/rate-limit.js';
import { createMemoryStore } from '../../../src/store/index.js';

const rule: RateLimit = { name: 'signin-account', limit: 3, windowMs: 15 * 60_000 };

/** A memory store and the rate-limit calls on one fake clock, as the app keeps them on one real one. */
function setUp() {
  let clock = Date.UTC(2026, 0, 1);
  const store = createMemoryStore({ now: () => clock });
  return {
    consume: (subject = 'a') => consumeRateLimit(store, rule, subject, clock),
    refund: (counted: { resetAt: number }, subject = 'a') => refundRateLimit(store, rule, subject, counted, clock),
    advance: (ms: number) => (clock += ms),
  };
}

describe('refundRateLimit', () => {
  it('gives a hit back within the window it was counted in', async () => {
    const { consume, refund, advance } = setUp();
    const counted = await consume();
    await consume();
    advance(rule.windowMs / 2);
    await refund(counted);
    expect(await consume()).toMatchObject({ allowed: true, resetAt: counted.resetAt });
    expect((await consume()).allowed).toBe(true);
    expect((await consume()).allowed).toBe(false);
  });

  it('gives nothing back to the next window once the hit’s own window has ended', async () => {
    const { consume, refund, advance } = setUp();
    const late = await consume();
    advance(rule.windowMs);
    const next = await consume();
    expect(next.resetAt).toBeGreaterThan(late.resetAt);
    await refund(late);
    await consume();
    await consume();
    // The next window's full count stands: a late refund from the last one bought no extra hit.
    expect((await consume()).allowed).toBe(false);
  });

  it('gives nothing back in the last seconds of its window, where it could land in the next one', async () => {
    const { consume, refund, advance } = setUp();
    const counted = await consume();
    await consume();
    advance(rule.windowMs - 1_000);
    await refund(counted);
    expect((await consume()).allowed).toBe(true);
    expect((await consume()).allowed).toBe(false);
  });

  it('gives back only to its own subject', async () => {
    const { consume, refund } = setUp();
    const counted = await consume('a');
    for (let hit = 0; hit < rule.limit; hit++) await consume('b');
    await refund(counted, 'a');
    expect((await consume('b')).allowed).toBe(false);
  });
});

describe('consumeRateLimit', () => {
  it('reports the end of the window the hit was counted in, and the seconds until then', async () => {
    const { consume, advance } = setUp();
    const first = await consume();
    advance(60_000);
    const second = await consume();
    expect(second.resetAt).toBe(first.resetAt);
    expect(first.retryAfterSeconds).toBe(rule.windowMs / 1000);
    expect(second.retryAfterSeconds).toBe(rule.windowMs / 1000 - 60);
  });
});
