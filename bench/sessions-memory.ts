/**
 * Memory per active session: creates N sessions (default 100,000) through the real session service
 * on the memory store, as sign-in does (a fresh account object parsed from JSON, scopes, an upstream
 * token, a PII secret) and touches each once (an active session's last-use record), then a PII vault for each through the vault registry, and reports the heap
 * growth per session after full GCs. Then a smaller sample of sessions whose vault has redacted one
 * 18-member search page (~10 KB), to show what a used vault adds.
 *
 * Run: node --expose-gc --import tsx bench/sessions-memory.ts [N]   (prints one JSON line)
 */
import { randomBytes } from 'node:crypto';
import { CATALOG, generateDataset } from '../src/demo-upstream/index.js';
import { createLogger } from '../src/log.js';
import { createVaultRegistry } from '../src/mcp/index.js';
import { policyForFields } from '../src/mcp/catalog-cache.js';
import { redact } from '../src/pii/index.js';
import { createSessionService, type Session } from '../src/sessions/index.js';
import { createMemoryStore } from '../src/store/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function heap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const count = Number(process.argv[2] ?? 100_000);
const usedSample = 2_000;
const log = createLogger({ level: 'silent' });
const store = createMemoryStore();
const sessions = createSessionService({ store, sessionTtlMs: 8 * 3600_000, log });
const vaults = createVaultRegistry({ limit: count });
const clients = Array.from({ length: 100 }, () => randomBytes(16).toString('base64url'));
const accountJson = JSON.stringify({ id: 'acc_admin', name: 'Ada Admin', email: 'admin@example.com', roles: ['admin'], readOnly: false });

async function createOne(i: number, service = sessions): Promise<Session> {
  const account = JSON.parse(accountJson) as { id: string; name: string; email: string; roles: string[]; readOnly: boolean };
  const session = await service.create({
    account,
    clientId: clients[i % clients.length]!,
    scopes: ['mcp:read', 'mcp:write'].filter(() => true),
    sharePii: false,
    upstreamToken: randomBytes(32).toString('base64url'),
    upstreamExpiresAt: Date.now() + 12 * 3600_000,
  });
  // Active: it has served a request (the bearer guard records last use).
  await service.touch(session);
  return session;
}

// A used vault: sessions that each redacted one 18-member page (own service and registry, measured first).
const sampleSessions = createSessionService({ store: createMemoryStore(), sessionTtlMs: 8 * 3600_000, log });
const sampleVaults = createVaultRegistry({ limit: usedSample });
let members: unknown[] | undefined = generateDataset().members.slice(0, 18);
const policy = policyForFields(CATALOG.find((entry) => entry.type === 'members')!.fields.map((field) => ({ name: field.name, pii: field.pii ?? null })));
let used: Session[] | undefined = [];
for (let i = 0; i < usedSample; i++) used.push(await createOne(i, sampleSessions));
const beforeUsed = heap();
for (const session of used) redact({ type: 'members', records: members, page: 1, pageSize: 18, total: 2400, hasMore: true }, await sampleVaults.vaultFor(session), policy);
const afterUsed = heap();
const bytesPerUsedVaultRedaction = (afterUsed - beforeUsed) / usedSample;
// Let the sample go before the main measurement (keep nothing of it alive).
used = undefined;
members = undefined;


const baseline = heap();
const created: Session[] = [];
for (let i = 0; i < count; i++) created.push(await createOne(i));
// The harness's own array of references is 8 bytes a session; measure it away.
const afterSessions = heap();
for (const session of created) await vaults.vaultFor(session);
const afterVaults = heap();

const perSession = (afterSessions - baseline) / count - 8;
const perVault = (afterVaults - afterSessions) / count;
// Referenced here so nothing measured can be collected before the last heap() above.
if (created.length !== count || !sampleVaults || !vaults) throw new Error('unreachable');
process.stdout.write(
  `${JSON.stringify({
    sessions: count,
    heapBaselineMB: +(baseline / 1e6).toFixed(1),
    sessionsMB: +((afterSessions - baseline) / 1e6).toFixed(1),
    bytesPerSession: Math.round(perSession),
    emptyVaultsMB: +((afterVaults - afterSessions) / 1e6).toFixed(1),
    bytesPerEmptyVault: Math.round(perVault),
    totalMB: +((afterVaults - baseline) / 1e6).toFixed(1),
    bytesPerSessionWithVault: Math.round(perSession + perVault),
    usedVaultSample: usedSample,
    bytesPerUsedVault: Math.round(bytesPerUsedVaultRedaction + perVault),
    rssMB: +(process.memoryUsage().rss / 1e6).toFixed(1),
  })}\n`,
);
process.exit(0);
