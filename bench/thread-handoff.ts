/**
 * What handing a presented 1 MB page from a result worker to the event loop costs, three ways
 * (bench/HISTORY.md, item 17): the two strings the worker answered with until item 18 (cloned, then
 * encoded as UTF-8 for the response on the event loop), UTF-8 bytes in a fresh buffer transferred to the
 * event loop, and the same in a buffer transferred back and forth and reused. The page is a
 * stand-in of the demo's (17,000 tokens in 1.16 MB of JSON, and its text content).
 *
 *   npx tsx bench/thread-handoff.ts [--rounds=30]
 */
import { Worker } from 'node:worker_threads';

const rounds = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.split('=')[1] ?? 30);

// Plain JavaScript, evaluated in the worker: nothing to load but the page.
const worker = new Worker(
  `
const { parentPort } = require('node:worker_threads');
const structured = JSON.stringify(Array.from({ length: 17000 }, (_, i) => ({ id: 'mem_' + i, name: '\\u00abPII:NAME:' + i.toString(16).padStart(8, '0') + '\\u00bb', note: 'some text here' })));
const text = JSON.stringify(structured);
const spare = [];
parentPort.on('message', (m) => {
  if (m.back) return void spare.push(m.back);
  const start = performance.now();
  if (m.kind === 'strings') return parentPort.postMessage({ sentAt: performance.timeOrigin + performance.now(), work: 0, structured, text });
  const need = Buffer.byteLength(structured) + Buffer.byteLength(text);
  const at = m.kind === 'reused' ? spare.findIndex((b) => b.byteLength >= need) : -1;
  const buffer = at >= 0 ? spare.splice(at, 1)[0] : new ArrayBuffer(need);
  const bytes = Buffer.from(buffer);
  bytes.write(text, bytes.write(structured, 0, 'utf8'), 'utf8');
  parentPort.postMessage({ sentAt: performance.timeOrigin + performance.now(), work: performance.now() - start, buffer }, [buffer]);
});`,
  { eval: true },
);

type Reply = { sentAt: number; work: number; structured?: string; text?: string; buffer?: ArrayBuffer };
const kinds = ['strings', 'fresh', 'reused'] as const;
const seen = new Map<string, number[][]>();
for (let round = 0; round < rounds + 4; round++) {
  for (const kind of kinds) {
    const start = performance.now();
    const reply = await new Promise<Reply>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ kind });
    });
    const arrived = performance.timeOrigin + performance.now();
    const encodeStart = performance.now();
    // What the event loop does before writing the response: strings must become UTF-8.
    if (reply.structured !== undefined) {
      Buffer.from(reply.structured);
      Buffer.from(reply.text!);
    }
    const encode = performance.now() - encodeStart;
    if (kind === 'reused') worker.postMessage({ back: reply.buffer }, [reply.buffer!]);
    if (round >= 4) seen.set(kind, [...(seen.get(kind) ?? []), [performance.now() - start, reply.work, arrived - reply.sentAt, encode]]);
  }
}
await worker.terminate();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!.toFixed(2);
console.log(`node ${process.version}, ${rounds} rounds, medians in ms`);
console.log('| answer | in all | worker encodes | the hop | event loop encodes |\n|---|---:|---:|---:|---:|');
for (const [kind, rows] of seen) console.log(`| ${kind} | ${[0, 1, 2, 3].map((i) => median(rows.map((row) => row[i]!))).join(' | ')} |`);
