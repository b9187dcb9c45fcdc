import { randomBytes } from 'node:crypto';
import { generateDataset } from '../src/demo-upstream/generate.js';
import { CATALOG } from '../src/demo-upstream/catalog.js';
import { policyForFields } from '../src/mcp/catalog-cache.js';
import { createVault, redact } from '../src/pii/index.js';
const data = generateDataset();
const entry = CATALOG.find((e) => e.type === 'members')!;
const members = (data as any).members.slice(0, 1700);
const page = { records: members, page: 1, pageSize: 1700, total: 2400, hasMore: true };
const body0 = JSON.stringify(page);
const body = process.env.DEC === "td" ? new TextDecoder().decode(Buffer.from(body0)) : process.env.DEC === "buf" ? Buffer.from(body0).toString("utf8") : body0;
console.log('bytes', body.length);
const policy = policyForFields(entry.fields as any);
const vault = createVault(randomBytes(32));
const N = Number(process.argv[2] ?? 100);
const t: Record<string, number[]> = { parse: [], redact: [], stringify: [], plain: [] };
for (let i = 0; i < N; i++) {
  let t0 = performance.now();
  const v = JSON.parse(body);
  t.parse.push(performance.now() - t0);
  t0 = performance.now();
  const r = redact(v, vault, policy);
  t.redact.push(performance.now() - t0);
  t0 = performance.now();
  JSON.stringify(r);
  t.stringify.push(performance.now() - t0);
  t0 = performance.now();
  JSON.stringify(v);
  t.plain.push(performance.now() - t0);
}
for (const [k, a] of Object.entries(t)) { a.sort((x, y) => x - y); console.log(k, 'best', a[0]!.toFixed(2), 'median', a[a.length >> 1]!.toFixed(2)); }
