import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/demo-upstream/random.js';

describe('createRandom', () => {
  it('yields the same sequence for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('yields different sequences for different seeds', () => {
    expect(createRandom(1).next()).not.toEqual(createRandom(2).next());
  });

  it('keeps int() within its inclusive bounds', () => {
    const random = createRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.int(3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });

  it('returns digit strings of the requested length', () => {
    expect(createRandom(9).digits(12)).toMatch(/^\d{12}$/);
  });
});
