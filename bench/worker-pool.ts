/**
 * What a result worker spends on the demo's 1 MB page of members, redacted, measured in the real
 * pool without HTTP: one worker, one page at a time, each answer's buffer given back as the fast
 * path gives it back when the response has finished (bench/README.md, item 19).
 *
 *   npx tsx bench/worker-pool.ts [--pages=80]
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../src/log.js';
import { createResultWorkers } from '../src/mcp/result-workers.js';
import { createVault } from '../src/pii/index.js';
import { demoMembersPage, demoMembersPolicy } from './lib/demo-page.js';

const pages = Number(process.argv.find((arg) => arg.startsWith('--pages='))?.split('=')[1] ?? 80);
const WARM_UP = 20;

const body = Buffer.from(demoMembersPage());
const policy = demoMembersPolicy();
const pool = createResultWorkers({ workers: 1, minBytes: 0, log: createLogger({ level: 'silent' }) });
const vault = createVault(randomBytes(32));

const times: number[] = [];
for (let i = 0; i < WARM_UP + pages; i++) {
  const own = new Uint8Array(body.byteLength); // a buffer of its own each time, as the upstream client reads one
  own.set(body);
  const start = performance.now();
  const page = await pool.presentSearch({ type: 'members', body: Buffer.from(own.buffer), policy, vault, owner: 'bench' });
  times.push(performance.now() - start);
  page!.release?.();
  await new Promise((resolve) => setTimeout(resolve, 5)); // the buffer's way back, as between two calls
}
await pool.close();
const sorted = times.slice(WARM_UP).sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
console.log(`${(body.byteLength / 1e6).toFixed(2)} MB page, ${pages} pages after ${WARM_UP} warm-up: median ${at(0.5)} ms, p10 ${at(0.1)}, p90 ${at(0.9)}`);
