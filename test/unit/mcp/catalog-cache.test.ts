import { describe, expect, it } from 'vitest';
import { createCatalogCache } from '../../../src/mcp/catalog-cache.js';
import { revealingFilters } from '../../../src/mcp/revealing-filters.js';
import type { EntityType, Upstream } from '../../../src/upstream/index.js';

/** The account system's describe, answering each token with its own fields. */
function describingUpstream() {
  const asked: string[] = [];
  const upstream = {
    async describe(token: string, type: string): Promise<EntityType> {
      asked.push(token);
      const fields = token === 'token-b' ? [{ name: 'email', type: 'string', pii: null }] : [{ name: 'email', type: 'string', pii: 'EMAIL' }];
      return { type, title: type, fields } as unknown as EntityType;
    },
  } as unknown as Upstream;
  return { upstream, asked };
}

const a = { account: { id: 'acc_1' }, upstreamToken: 'token-a' };
const b = { account: { id: 'acc_2' }, upstreamToken: 'token-b' };

describe('catalog cache', () => {
  it("keeps each account's description apart, and asks again after five minutes", async () => {
    let clock = 0;
    const { upstream, asked } = describingUpstream();
    const cache = createCatalogCache(upstream, () => clock);
    const first = await cache.entry(a, 'members');
    expect(await cache.entry(a, 'members')).toBe(first);
    const other = await cache.entry(b, 'members');
    expect(other).not.toBe(first);
    expect(other.entityType.fields[0]!.pii).toBeNull();
    expect(asked).toEqual(['token-a', 'token-b']);
    clock = 5 * 60_000;
    await cache.entry(a, 'members');
    expect(asked).toEqual(['token-a', 'token-b', 'token-a']);
  });

  it('asks the upstream on every refresh and serves the answer to the next entry', async () => {
    const { upstream, asked } = describingUpstream();
    const cache = createCatalogCache(upstream, () => 0);
    await cache.entry(a, 'members');
    const refreshed = await cache.refresh(a, 'members');
    expect(asked).toEqual(['token-a', 'token-a']);
    expect(await cache.entry(a, 'members')).toBe(refreshed);
  });

  it('does not confuse an account id ending like another pair', async () => {
    const { upstream, asked } = describingUpstream();
    const cache = createCatalogCache(upstream, () => 0);
    await cache.entry({ account: { id: 'ab' }, upstreamToken: 'token-a' }, 'c');
    await cache.entry({ account: { id: 'a' }, upstreamToken: 'token-a' }, 'bc');
    expect(asked).toHaveLength(2);
  });
});

describe('revealingFilters', () => {
  it('names personal-data fields filtered by range or substring, and nothing else', async () => {
    const { upstream } = describingUpstream();
    const { policy } = await createCatalogCache(upstream).entry(a, 'members');
    expect(revealingFilters({ email: { contains: 'x', eq: 'y' }, id: { gte: 'mem_1' }, status: 'active' }, policy)).toEqual(['email (contains)']);
    // A field-name rule that needs no person around it counts too.
    expect(revealingFilters({ iban: { lt: 'DE' }, mobilePhone: { gte: '+44' } }, policy)).toEqual(['iban (lt)', 'mobilePhone (gte)']);
    expect(revealingFilters({ email: 'a@b.c', phone: { in: ['x'] }, name: { ne: 'x' } }, policy)).toEqual([]);
    expect(revealingFilters(undefined, policy)).toEqual([]);
  });
});
