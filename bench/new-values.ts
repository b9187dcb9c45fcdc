/**
 * What a page costs a session that has not seen its people yet, where every other bench repeats one
 * search and so measures a warm vault: each personal value new to the session costs an HMAC and an
 * entry, and with a shared store (REDIS_URL) the entries are sealed and appended before the result
 * leaves. Per page of the demo's members (18 ≈ 10 KB, 1700 ≈ 1 MB), each in a session of its own:
 * the filter with a new vault and again warm, persist() into a real redis-server, and what another
 * replica pays to load that vault (vaultFor on a second registry), and to merge again when nothing is
 * new (reload: what a call with a token the replica cannot resolve costs). In one thread, as the
 * event loop runs persist and a small page's filter.
 *
 *   npx tsx bench/new-values.ts [--pages=200] [--sizes=18,1700]
 */
import { randomBytes } from 'node:crypto';
import { searchResultValue, structuredOf } from '../src/mcp/present.js';
import { createVaultRegistry } from '../src/mcp/vaults.js';
import { Secret } from '../src/secret.js';
import type { Session } from '../src/sessions/index.js';
import { createTokenCipher } from '../src/sessions/token-cipher.js';
import { createRedisStore } from '../src/store/index.js';
import { parseSearchPage } from '../src/upstream/schemas.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { demoMembersPage, demoMembersPolicy } from './lib/demo-page.js';
import { option } from './lib/options.js';

const pagesOption = Number(option('pages', '200'));
const sizes = option('sizes', '18,1700').split(',').map(Number);

const policy = demoMembersPolicy();
const redis = await startRedisServer();
const store = createRedisStore({ url: redis.url, prefix: `bench-new-values-${process.pid}:` });
const cipher = createTokenCipher([new Secret(randomBytes(32))]);
const median = (times: number[]) => times.sort((a, b) => a - b)[times.length >> 1]!;
const ms = (value: number) => value.toFixed(3);

const sessionOf = (n: number): Session => ({
  id: `bench-${n}-${randomBytes(6).toString('hex')}`,
  account: { id: 'acc', email: 'bench@example.com', name: 'Bench', roles: [], locations: [], readOnly: false } as unknown as Session['account'],
  clientId: 'bench',
  scopes: [],
  sharePii: false,
  createdAt: Date.now(),
  expiresAt: Date.now() + 3_600_000,
  upstreamToken: 'unused',
  piiSecret: randomBytes(32).toString('base64url'),
});

try {
  for (const size of sizes) {
    const page = parseSearchPage(Buffer.from(demoMembersPage(size))) as unknown as Record<string, unknown>;
    const pages = size > 100 ? Math.min(pagesOption, 30) : pagesOption;
    const warmUp = Math.max(3, pages >> 3);
    const steps = { cold: [] as number[], warm: [] as number[], persist: [] as number[], load: [] as number[], reload: [] as number[] };
    let entries = 0;
    for (let i = 0; i < warmUp + pages; i++) {
      const replicaA = createVaultRegistry({ store, cipher });
      const replicaB = createVaultRegistry({ store, cipher });
      const session = sessionOf(i);
      const vault = await replicaA.vaultFor(session);
      const start = performance.now();
      structuredOf(searchResultValue('members', page), vault, policy);
      const filtered = performance.now();
      structuredOf(searchResultValue('members', page), vault, policy);
      const again = performance.now();
      await replicaA.persist(session, vault);
      const persisted = performance.now();
      const loaded = await replicaB.vaultFor(session);
      const done = performance.now();
      await replicaB.reload(session, loaded);
      const reloaded = performance.now();
      if (loaded.size !== vault.size) throw new Error(`the other replica loaded ${loaded.size} of ${vault.size} entries`);
      entries = vault.size;
      for (const registry of [replicaA, replicaB]) registry.close();
      await store.delete(`vault:${session.id}`);
      if (i < warmUp) continue;
      steps.cold.push(filtered - start);
      steps.warm.push(again - filtered);
      steps.persist.push(persisted - again);
      steps.load.push(done - persisted);
      steps.reload.push(reloaded - done);
    }
    const perEntry = (times: number[]) => ((median(times) * 1000) / entries).toFixed(2);
    console.log(
      `${size} members, ${entries} values new to the session, medians of ${pages}: filter new ${ms(median(steps.cold))} ms (${perEntry(steps.cold)} µs a value), ` +
        `warm ${ms(median(steps.warm))} ms; persist to Redis ${ms(median(steps.persist))} ms (${perEntry(steps.persist)} µs); ` +
        `another replica loads the vault ${ms(median(steps.load))} ms (${perEntry(steps.load)} µs), then merges again with nothing new ${ms(median(steps.reload))} ms`,
    );
  }
} finally {
  await store.close();
  await redis.stop();
}
