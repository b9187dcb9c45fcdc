import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createResultWorkers } from '../src/mcp/result-workers.js';
import { createVault, buildRedactionPolicy } from '../src/pii/index.js';
const w = createResultWorkers({ workers: 1, minBytes: 0, log: pino() as any });
const vault = createVault(randomBytes(32));
const body = Buffer.from(JSON.stringify({ records: [{ id: 'm1', email: 'a.b@example.com', name: 'Alice Smith' }], page: 1, pageSize: 1, total: 1, hasMore: false }));
try {
  const r = await w.presentSearch({ type: 'members', body, policy: buildRedactionPolicy({ fieldCategories: { name: 'NAME' } }), vault });
  console.log(new TextDecoder().decode(r.structured), new TextDecoder().decode(r.text).slice(0, 80), vault.size);
  const r2 = await w.presentSearch({ type: 'members', body, policy: buildRedactionPolicy({}), vault: undefined });
  console.log(new TextDecoder().decode(r2.structured));
} catch (e) { console.error('ERR', e); }
await w.close();
