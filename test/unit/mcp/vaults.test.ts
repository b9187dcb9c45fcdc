import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createVaultRegistry } from '../../../src/mcp/vaults.js';
import { Secret } from '../../../src/secret.js';
import type { Session } from '../../../src/sessions/index.js';
import { createTokenCipher } from '../../../src/sessions/token-cipher.js';
import { createMemoryStore, type Store } from '../../../src/store/index.js';

const session = (id: string) => ({ id, piiSecret: randomBytes(32).toString('base64url'), expiresAt: Date.now() + 60_000 }) as Session;

describe('createVaultRegistry', () => {
  it('keeps one vault per session across requests', async () => {
    const registry = createVaultRegistry();
    const a = session('a');
    const vault = await registry.vaultFor(a);
    const token = vault.tokenize('EMAIL', 'ada@example.com');
    expect((await registry.vaultFor(a)).resolve(token)).toBe('ada@example.com');
  });

  it('drops the least recently used vaults beyond its entry budget', async () => {
    const registry = createVaultRegistry({ entryBudget: 5 });
    const [a, b] = [session('a'), session('b')];
    const vaultA = await registry.vaultFor(a);
    for (const name of ['w', 'x', 'y', 'z']) vaultA.tokenize('NAME', name);
    await registry.persist(a, vaultA);
    const vaultB = await registry.vaultFor(b);
    for (const name of ['w', 'x', 'y', 'z']) vaultB.tokenize('NAME', name);
    await registry.persist(b, vaultB);
    expect((await registry.vaultFor(b)).size).toBe(4);
    expect((await registry.vaultFor(a)).size).toBe(0);
  });

  it('drops the least recently used vault beyond its session limit', async () => {
    const registry = createVaultRegistry({ limit: 2 });
    const [a, b, c] = [session('a'), session('b'), session('c')];
    (await registry.vaultFor(a)).tokenize('NAME', 'kept');
    (await registry.vaultFor(b)).tokenize('NAME', 'dropped');
    await registry.vaultFor(a);
    await registry.vaultFor(c);
    expect((await registry.vaultFor(a)).size).toBe(1);
  });

  it('tells of every vault it drops, ended or over its limit, so copies of it can go too', async () => {
    const dropped: unknown[] = [];
    const registry = createVaultRegistry({ limit: 1, onDrop: (vault) => dropped.push(vault) });
    const vaultA = await registry.vaultFor(session('a'));
    const vaultB = await registry.vaultFor(session('b')); // over the limit: a goes
    expect(dropped).toEqual([vaultA]);
    registry.forget('b');
    expect(dropped).toEqual([vaultA, vaultB]);
  });

  it('drops the vaults of sessions that expired, which end without telling anyone', async () => {
    let at = Date.now();
    const dropped: unknown[] = [];
    const registry = createVaultRegistry({ now: () => at, sweepIntervalMs: 10, onDrop: (vault) => dropped.push(vault) });
    const short = { ...session('short'), expiresAt: at + 1000 } as Session;
    const vaultShort = await registry.vaultFor(short);
    vaultShort.tokenize('NAME', 'Ada Lovelace');
    const vaultLong = await registry.vaultFor(session('long'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(dropped).toEqual([]);
    at += 1000;
    await vi.waitFor(() => expect(dropped).toEqual([vaultShort]), { timeout: 2000 }); // a busy machine delays the sweep
    expect(await registry.vaultFor(session('long'))).toBe(vaultLong);
    registry.close();
  });

  describe('with a shared store', () => {
    const cipher = createTokenCipher([new Secret(randomBytes(32))]);
    const purpose = (s: Session) => `gatehouse-vault:${s.id}`;
    const people = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'];

    it('saves what one tool call learned as one sealed item, which another replica loads whole', async () => {
      const store = createMemoryStore();
      const [a, b] = [createVaultRegistry({ store, cipher }), createVaultRegistry({ store, cipher })];
      const s = session('shared');
      const vault = await a.vaultFor(s);
      const tokens = people.map((name) => vault.tokenize('NAME', name));
      await a.persist(s, vault);
      const items = await store.list(`vault:${s.id}`);
      expect(items).toHaveLength(1);
      expect(items[0]).not.toContain('Ada'); // sealed
      const other = await b.vaultFor(s);
      expect(tokens.map((token) => other.resolve(token))).toEqual(people);

      vault.tokenize('EMAIL', 'ada@example.com');
      await a.persist(s, vault); // only what is new since
      expect(await store.list(`vault:${s.id}`)).toHaveLength(2);
      await a.persist(s, vault); // nothing new: nothing written
      expect(await store.list(`vault:${s.id}`)).toHaveLength(2);
      expect(JSON.parse(cipher.open((await store.list(`vault:${s.id}`))[1]!, purpose(s)))).toEqual([[vault.tokenize('EMAIL', 'ada@example.com'), 'ada@example.com']]);
      for (const registry of [a, b]) registry.close();
    });

    it('loads items saved a pair at a time, as replicas wrote them before', async () => {
      const store = createMemoryStore();
      const s = session('older');
      const writer = await createVaultRegistry().vaultFor(s);
      const tokens = people.map((name) => writer.tokenize('NAME', name));
      const sealed = tokens.map((token, i) => cipher.seal(JSON.stringify([token, people[i]]), purpose(s)));
      await store.append(`vault:${s.id}`, sealed, 60_000);
      const reader = createVaultRegistry({ store, cipher });
      const vault = await reader.vaultFor(s);
      expect(tokens.map((token) => vault.resolve(token))).toEqual(people);
      reader.close();
    });

    it('merges only what other replicas saved since its last merge', async () => {
      const memory = createMemoryStore();
      const read: number[] = [];
      const store: Store = { ...memory, list: async (key, from) => memory.list(key, from).then((items) => (read.push(items.length), items)) };
      const [a, b] = [createVaultRegistry({ store: memory, cipher }), createVaultRegistry({ store, cipher })];
      const s = session('incremental');
      const writer = await a.vaultFor(s);
      writer.tokenize('NAME', 'Ada Lovelace');
      await a.persist(s, writer);
      const reader = await b.vaultFor(s);
      expect(await b.reload(s, reader)).toBe(false); // nothing new: nothing read
      const later = writer.tokenize('NAME', 'Grace Hopper');
      await a.persist(s, writer);
      expect(reader.resolve(later)).toBeUndefined();
      expect(await b.reload(s, reader)).toBe(true);
      expect(reader.resolve(later)).toBe('Grace Hopper');
      expect(read).toEqual([1, 0, 1]);
      for (const r of [a, b]) r.close();
    });

    it('saves again after a failed append what that append did not save', async () => {
      const memory = createMemoryStore();
      let failNext = true;
      const store: Store = {
        ...memory,
        append: async (key, values, ttlMs) => {
          if (failNext) {
            failNext = false;
            throw new Error('store unavailable');
          }
          return memory.append(key, values, ttlMs);
        },
      };
      const registry = createVaultRegistry({ store, cipher });
      const s = session('retry');
      const vault = await registry.vaultFor(s);
      const first = vault.tokenize('NAME', 'Ada Lovelace');
      await expect(registry.persist(s, vault)).rejects.toThrow('store unavailable');
      const second = vault.tokenize('NAME', 'Grace Hopper');
      await registry.persist(s, vault);
      const other = createVaultRegistry({ store: memory, cipher });
      const loaded = await other.vaultFor(s);
      expect([loaded.resolve(first), loaded.resolve(second)]).toEqual(['Ada Lovelace', 'Grace Hopper']);
      for (const r of [registry, other]) r.close();
    });
  });
});
