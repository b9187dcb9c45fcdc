import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createVaultRegistry } from '../../../src/mcp/vaults.js';
import type { Session } from '../../../src/sessions/index.js';

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
});
