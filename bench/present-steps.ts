/**
 * What each step of presenting the demo's 1 MB page of members costs in one thread, as a result
 * worker runs them: parse and check the page, filter it (with a warm vault, or not at all when the
 * session shares personal data), write the answer's bytes into a reused buffer.
 *
 *   node --max-semi-space-size=21 --import tsx bench/present-steps.ts [--redaction=on|off] [--pages=200]
 *
 * The semi-space flag gives this thread about the young generation a result worker gets
 * (maxYoungGenerationSizeMb 64 in result-workers.ts).
 */
import { randomBytes } from 'node:crypto';
import { answerBytes } from '../src/mcp/answer-bytes.js';
import { searchResultValue, structuredOf } from '../src/mcp/present.js';
import { createVault } from '../src/pii/index.js';
import { SpareBuffers } from '../src/spare-buffers.js';
import { parseSearchPage } from '../src/upstream/schemas.js';
import { demoMembersPage, demoMembersPolicy } from './lib/demo-page.js';
import { option } from './lib/options.js';

const redaction = option('redaction', 'on');
const pages = Number(option('pages', '200'));
const WARM_UP = 30;

const body = Buffer.from(demoMembersPage());
const policy = demoMembersPolicy();
const vault = redaction === 'on' ? createVault(randomBytes(32)) : undefined;
const spares = new SpareBuffers(16 * 1024 * 1024);

const steps = { parse: [] as number[], filter: [] as number[], answer: [] as number[] };
for (let i = 0; i < WARM_UP + pages; i++) {
  const start = performance.now();
  const value = searchResultValue('members', parseSearchPage(body) as unknown as Record<string, unknown>);
  const parsed = performance.now();
  const structured = structuredOf(value, vault, policy);
  const filtered = performance.now();
  const answer = answerBytes(structured, spares);
  const written = performance.now();
  spares.give(answer.buffer);
  if (i < WARM_UP) continue;
  steps.parse.push(parsed - start);
  steps.filter.push(filtered - parsed);
  steps.answer.push(written - filtered);
}
const median = (times: number[]) => times.sort((a, b) => a - b)[times.length >> 1]!.toFixed(2);
console.log(
  `${(body.byteLength / 1e6).toFixed(2)} MB page, redaction ${redaction}, ${pages} pages after ${WARM_UP} warm-up, median ms: ` +
    `parse ${median(steps.parse)}, filter ${median(steps.filter)}, answer bytes ${median(steps.answer)}`,
);
