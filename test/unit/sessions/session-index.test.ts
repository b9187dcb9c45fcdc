import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { createSessionService } from '../../../src/sessions/index.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import type { Store } from '../../../src/store/index.js';

const log = createLogger({ level: 'silent' });
const HOUR = 3_600_000;

/** A memory store that counts the ids its lists hand out: what an operator's listing reads. */
function countingStore(now: () => number) {
  const store = createMemoryStore({ now });
  let idsRead = 0;
  const counting: Store = {
    ...store,
    async list(key, from) {
      const ids = await store.list(key, from);
      idsRead += ids.length;
      return ids;
    },
  };
  return { store: counting, idsRead: () => idsRead };
}

const newSession = (accountId: string, at: number) => ({
  account: { id: accountId, name: 'Ada', email: 'ada@example.com', roles: ['admin'], readOnly: false },
  clientId: 'client',
  scopes: ['mcp:read'],
  sharePii: false,
  upstreamToken: 'upstream',
  upstreamExpiresAt: at + 100 * HOUR,
});

describe('session indexes', () => {
  it('hold only what can still be live, however long sign-ins keep coming', async () => {
    let clock = Date.UTC(2026, 11, 1);
    const { store, idsRead } = countingStore(() => clock);
    const sessions = createSessionService({ store, sessionTtlMs: 8 * HOUR, log, now: () => clock });
    // Three days of a sign-in every ten minutes, one account in three.
    for (let i = 0; i < 3 * 24 * 6; i++) {
      await sessions.create(newSession(`acc_${i % 3}`, clock));
      clock += 10 * 60_000;
    }
    // Created in the last 8 hours: every ten minutes from 10 to 470 minutes ago.
    const live = await sessions.list();
    expect(live).toHaveLength(47);
    // The lists read hold the live sessions and at most the ended ones of the span they started in
    // (an hour, six sign-ins), where one list of every session ever would hold 432.
    expect(idsRead()).toBeLessThanOrEqual(47 + 6);
    const before = idsRead();
    const ofOne = live.filter((session) => session.account.id === 'acc_1');
    expect((await sessions.list('acc_1')).map((session) => session.id)).toEqual(ofOne.map((session) => session.id));
    expect(idsRead() - before).toBeLessThanOrEqual(ofOne.length + 2);
  });

  it('list a session created a moment ago on a replica whose clock is ahead', async () => {
    let clock = Date.UTC(2026, 11, 1, 0, 59);
    const store = createMemoryStore({ now: () => clock });
    const ahead = createSessionService({ store, sessionTtlMs: 8 * HOUR, log, now: () => clock + 5 * 60_000 });
    const here = createSessionService({ store, sessionTtlMs: 8 * HOUR, log, now: () => clock });
    const created = await ahead.create(newSession('acc_1', clock));
    expect((await here.list()).map((session) => session.id)).toEqual([created.id]);
    expect((await here.list('acc_1')).map((session) => session.id)).toEqual([created.id]);
    clock += 9 * HOUR;
    expect(await here.list()).toEqual([]);
  });

  it('still list sessions an earlier version indexed in one list', async () => {
    const store = createMemoryStore();
    const sessions = createSessionService({ store, sessionTtlMs: 8 * HOUR, log });
    const created = await sessions.create(newSession('acc_1', Date.now()));
    // Move its entries to the single lists earlier versions kept, as after an upgrade.
    const all = (await sessions.list()).map((session) => session.id);
    expect(all).toEqual([created.id]);
    const moved = createMemoryStore();
    await moved.set(`session:${created.id}`, await store.get(`session:${created.id}`), 8 * HOUR);
    await moved.append('sessions', [created.id], 8 * HOUR);
    await moved.append('sessions-of:acc_1', [created.id], 8 * HOUR);
    const upgraded = createSessionService({ store: moved, sessionTtlMs: 8 * HOUR, log });
    expect((await upgraded.list()).map((session) => session.id)).toEqual([created.id]);
    expect((await upgraded.list('acc_1')).map((session) => session.id)).toEqual([created.id]);
  });

  it("list one account's sessions only, whatever an index holds", async () => {
    const clock = Date.UTC(2026, 11, 1);
    const store = createMemoryStore({ now: () => clock });
    const sessions = createSessionService({ store, sessionTtlMs: 8 * HOUR, log, now: () => clock });
    const other = await sessions.create(newSession('acc_2', clock));
    // An earlier version's list for an account id that spells another account's key, or a stray id.
    await store.append(`sessions-of:acc_1`, [other.id], 8 * HOUR);
    expect(await sessions.list('acc_1')).toEqual([]);
    expect((await sessions.list('acc_2')).map((session) => session.id)).toEqual([other.id]);
  });
});
