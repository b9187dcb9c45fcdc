import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createResultWorkers } from '../src/mcp/result-workers.js';
import { createVault } from '../src/pii/index.js';
import { generateDataset } from '../src/demo-upstream/generate.js';
import { CATALOG } from '../src/demo-upstream/catalog.js';
import { policyForFields } from '../src/mcp/catalog-cache.js';
const data = generateDataset();
const entry = CATALOG.find((e) => e.type === 'members')!;
const page = { records: (data as any).members.slice(0, 1700), page: 1, pageSize: 1700, total: 2400, hasMore: true };
const body = Buffer.from(JSON.stringify(page));
const policy = policyForFields(entry.fields as any);
const w = createResultWorkers({ workers: 1, minBytes: 0, log: pino() as any });
for (const vault of [createVault(randomBytes(32)), undefined]) {
  try {
    const r = await w.presentSearch({ type: 'members', body, policy, vault });
    console.log(r.structured.length, r.text.length, vault?.size);
  } catch (e) { console.error('ERR', e); }
}
await w.close();
const w2 = createResultWorkers({ workers: 1, minBytes: 0, log: pino() as any });
const vault = createVault(randomBytes(32));
for (let round = 0; round < 8; round++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 20; i++) await w2.presentSearch({ type: 'members', body, policy, vault });
  const c = process.cpuUsage(c0);
  console.log('seq ms/call', ((performance.now() - t0) / 20).toFixed(1), 'cpu ms/call', ((c.user + c.system) / 1000 / 20).toFixed(1));
}
await w2.close();
