import { describe, expect, it } from 'vitest';
import { createCatalogCache, policyForFields } from '../../../src/mcp/catalog-cache.js';
import { revealingFilters, revealingSort } from '../../../src/mcp/revealing-filters.js';
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

  it('gives accounts that see the same description one entry and one policy (the workers key their caches by it)', async () => {
    const { upstream, asked } = describingUpstream();
    const cache = createCatalogCache(upstream, () => 0);
    const first = await cache.entry(a, 'members');
    const same = await cache.entry({ account: { id: 'acc_3' }, upstreamToken: 'token-a' }, 'members');
    expect(asked).toHaveLength(2);
    expect(same).toBe(first);
    expect((await cache.refresh(a, 'members')).policy).toBe(first.policy);
    expect((await cache.entry(b, 'members')).policy).not.toBe(first.policy);
  });

  it('asks the upstream once for concurrent misses of one account and type', async () => {
    const { upstream, asked } = describingUpstream();
    const cache = createCatalogCache(upstream, () => 0);
    const entries = await Promise.all([cache.entry(a, 'members'), cache.entry(a, 'members'), cache.refresh(a, 'members'), cache.entry(b, 'members')]);
    expect(asked).toEqual(['token-a', 'token-b']);
    expect(entries[1]).toBe(entries[0]);
    expect(entries[2]).toBe(entries[0]);
  });
});

describe('revealingFilters', () => {
  it('names personal-data fields filtered by range or substring, and nothing else', async () => {
    const { upstream } = describingUpstream();
    const { policy } = await createCatalogCache(upstream).entry(a, 'members');
    expect(revealingFilters({ email: { contains: 'x', eq: 'y' }, id: { gte: 'mem_1' }, status: 'active' }, policy, 'members')).toEqual(['email (contains)']);
    // A field-name rule that needs no person around it counts too.
    expect(revealingFilters({ iban: { lt: 'DE' }, mobilePhone: { gte: '+44' } }, policy, 'members')).toEqual(['iban (lt)', 'mobilePhone (gte)']);
    expect(revealingFilters({ email: 'a@b.c', phone: { eq: 'x' }, name: { ne: 'x' } }, policy, 'members')).toEqual([]);
    // A list may hold only tokens (lenient forms too): raw values would be a guess list.
    expect(revealingFilters({ email: { in: ['«PII:EMAIL:ab12cd34»', 'PII:EMAIL:00ff00ff', ' <<PII:EMAIL:12345678>> '] } }, policy, 'members')).toEqual([]);
    expect(revealingFilters({ email: { in: ['«PII:EMAIL:ab12cd34»', 'ada@example.com'] }, status: { in: ['active', 'archived'] } }, policy, 'members')).toEqual([
      'email (in with values that are not «PII:…» tokens)',
    ]);
    expect(revealingFilters({ email: { in: ['x «PII:EMAIL:ab12cd34»'] } }, policy, 'members')).toHaveLength(1);
    expect(revealingFilters(undefined, policy, 'members')).toEqual([]);
  });

  it("counts a field that name rules mark only inside a person (name, city) where the type's records are people", () => {
    const people = policyForFields([{ name: 'email', pii: 'EMAIL' }, { name: 'name', pii: null }]);
    const places = policyForFields([{ name: 'name', pii: null }, { name: 'capacity', pii: null }]);
    const filter = { name: { contains: 'an' }, city: { gte: 'M' } };
    // Redaction hides these where a person's own field sits beside them, so a substring would spell them out.
    expect(revealingFilters(filter, people, 'companies')).toEqual(['name (contains)', 'city (gte)']);
    // Without a catalog that says so, the type's name can: records of members, customers, contacts are people.
    expect(revealingFilters(filter, places, 'members')).toEqual(['name (contains)', 'city (gte)']);
    expect(revealingFilters(filter, places, 'customer_contacts')).toEqual(['name (contains)', 'city (gte)']);
    // A location's name and city are shown, so they may be searched any way.
    expect(revealingFilters(filter, places, 'locations')).toEqual([]);
    // A catalog that classifies nothing still names its fields: an e-mail or first-name field makes a person, as redaction finds it.
    for (const marker of ['billingEmail', 'mobilePhone', 'firstName']) {
      const unclassified = policyForFields([{ name: 'name', pii: null }, { name: 'city', pii: null }, { name: marker, pii: null }]);
      expect(revealingFilters(filter, unclassified, 'spaces'), marker).toEqual(['name (contains)', 'city (gte)']);
    }
    expect(revealingFilters(filter, policyForFields([{ name: 'name', pii: null }, { name: 'city', pii: null }, { name: 'seats', pii: null }]), 'spaces')).toEqual([]);
  });

  it('reads a field name in any casing the way an upstream that ignores case would', () => {
    const people = policyForFields([{ name: 'email', pii: 'EMAIL' }, { name: 'name', pii: null }]);
    const filter = { nAme: { contains: 'an' }, BIRTHDATE: { lt: '1990' }, EMail: { gte: 'm' }, StaTus: { in: ['a', 'b'] } };
    expect(revealingFilters(filter, people, 'companies')).toEqual(['nAme (contains)', 'BIRTHDATE (lt)', 'EMail (gte)']);
  });
});

describe('revealingSort', () => {
  const people = policyForFields([{ name: 'email', pii: 'EMAIL' }, { name: 'name', pii: null }, { name: 'createdAt', pii: null }]);
  const places = policyForFields([{ name: 'name', pii: null }, { name: 'capacity', pii: null }]);

  it.each([
    ['email', ['email']],
    ['-email', ['email']],
    ['-dateOfBirth', ['dateOfBirth']],
    ['name', ['name']],
    ['nAme', ['nAme']],
    // Upstreams spell several fields and directions their own way: every part is read.
    ['createdAt,email', ['email']],
    ['email:desc', ['email']],
    ['+lastName -createdAt', ['lastName']],
    ['contact.email', ['contact.email']],
  ])('names the personal field in sort %j', (sort, named) => {
    expect(revealingSort(sort, people, 'companies')).toEqual(named);
  });

  it('lets a sort by other fields, or by a name that is not a person\'s, through', () => {
    for (const sort of ['-createdAt', 'id', 'createdAt:desc', '', undefined, 42]) expect(revealingSort(sort, people, 'companies'), String(sort)).toEqual([]);
    expect(revealingSort('name', places, 'locations')).toEqual([]);
    expect(revealingSort('-capacity', places, 'locations')).toEqual([]);
  });
});
