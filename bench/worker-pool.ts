/**
 * What a result worker spends on the demo's 1 MB page of members, redacted, measured in the real
 * pool without HTTP: one worker (or with --workers=2, a page split across two), one page at a time, each answer's buffer given back as the fast
 * path gives it back when the response has finished (bench/HISTORY.md, item 19). With --vault=new
 * every page shows other people (demoMembersPageOfOthers), so every value on it is new to the
 * session, as when a person browses on; a session takes 4 pages, then another starts (a vault past
 * half the workers' mirror budget stays on the event loop). Also reports the event loop's busy time
 * a page (its part: the job with what the vault learned since, and adopting what the worker learned).
 *
 *   npx tsx bench/worker-pool.ts [--pages=80] [--vault=warm|new] [--workers=1|2] [--records=1700]
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../src/log.js';
import { createResultWorkers } from '../src/mcp/result-workers.js';
import { createVault } from '../src/pii/index.js';
import { demoMembersPage, demoMembersPageOfOthers, demoMembersPolicy } from './lib/demo-page.js';
import { option } from './lib/options.js';

const pages = Number(option('pages', '80'));
const newVaults = option('vault', 'warm') === 'new';
const workers = Number(option('workers', '1'));
const WARM_UP = 20;

const text = demoMembersPage(Number(option('records', '1700')));
const body = Buffer.from(text);
const PAGES_PER_SESSION = 4;
const others = newVaults ? Array.from({ length: 8 }, (_, n) => Buffer.from(demoMembersPageOfOthers(text, n))) : [];
const policy = demoMembersPolicy();
// Split from any size here, to measure what splitting a smaller page would give.
const pool = createResultWorkers({ workers, minBytes: 0, splitFromBytes: 0, log: createLogger({ level: 'silent' }) });
let vault = createVault(randomBytes(32));

const times: number[] = [];
const busy: number[] = [];
for (let i = 0; i < WARM_UP + pages; i++) {
  const page = newVaults ? others[i % others.length]! : body;
  const own = new Uint8Array(page.byteLength); // a buffer of its own each time, as the upstream client reads one
  own.set(page);
  if (newVaults && i % PAGES_PER_SESSION === 0) {
    pool.forget(vault);
    vault = createVault(randomBytes(32));
  }
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const presented = await pool.presentSearch({ type: 'members', body: Buffer.from(own.buffer), policy, vault, owner: 'bench' });
  times.push(performance.now() - start);
  busy.push(performance.eventLoopUtilization(elu).active);
  presented!.release?.();
  await new Promise((resolve) => setTimeout(resolve, 5)); // the buffer's way back, as between two calls
}
const quantiles = (values: number[]) => {
  const sorted = values.slice(WARM_UP).sort((a, b) => a - b);
  return (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
};
const [at, loop] = [quantiles(times), quantiles(busy)];
console.log(
  `${(body.byteLength / 1e6).toFixed(2)} MB pages, ${workers} worker(s) (${pool.splits().split} split, ${pool.splits().redone} redone), ${newVaults ? `other people each, ${PAGES_PER_SESSION} a session` : 'one warm vault'}, ${pages} pages after ${WARM_UP} warm-up: ` +
    `median ${at(0.5)} ms, p10 ${at(0.1)}, p90 ${at(0.9)}; the event loop busy ${loop(0.5)} ms a page (p90 ${loop(0.9)})`,
);
await pool.close();
