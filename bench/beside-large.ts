/**
 * Does one session's large result hold up everyone else's small ones? Paced 10 KB tool calls
 * (redaction on) are probed alone and beside a closed loop of 1 MB tool calls (redaction on,
 * another session, in a process of its own so its response parsing does not stall the probe), in
 * interleaved rounds; prints the probe's p50/p99 and the 1 MB throughput. Run it once per setting:
 *
 *   RESULT_WORKERS=0 npx tsx bench/beside-large.ts [--rounds=3] [--duration=8] [--rate=100] [--large-connections=2]
 *   npx tsx bench/beside-large.ts
 *
 * As a script with `--load URL TOKEN CONNECTIONS DURATION_S`, it is that background loop and
 * prints one JSON line ({ reqPerS, non2xx }).
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { registerClient } from '../test/helpers/oauth-flow.js';
import { round, runLoad } from './lib/load.js';
import { probe } from './lib/probe.js';
import { mcpRequest, signIn, start, verify } from './lib/setup.js';
import { option } from './lib/options.js';

const argv = process.argv.slice(2);

if (argv[0] === '--load') {
  const [, url, token, connections, durationS] = argv;
  const spec = mcpRequest(url!, 1700, token);
  const expectedBytes = await verify(spec, 'mcp', 1700, 'on');
  const result = await runLoad({ ...spec, connections: Number(connections), durationS: Number(durationS), expectedBytes }, []);
  console.log(JSON.stringify({ reqPerS: result.reqPerS, non2xx: result.non2xx, errors: result.errors, ok: result.ok }));
  process.exit(0);
}

const numberOption = (name: string, fallback: string) => Number(option(name, fallback));
const rounds = numberOption('rounds', '3');
const durationS = numberOption('duration', '8');
const rate = numberOption('rate', '100');
const largeConnections = numberOption('large-connections', '2');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function backgroundLoad(url: string, token: string, seconds: number): Promise<{ reqPerS: number; non2xx: number; errors: number; ok: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--load', url, token, String(largeConnections), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`background load exited ${code}`))));
  });
}

const env = await start({ embedded: false });
try {
  const clientId = await registerClient(env.gatewayUrl, { client_name: 'gatehouse-beside-large' });
  const small = mcpRequest(env.gatewayUrl, 18, await signIn(env.gatewayUrl, clientId, false));
  const largeToken = await signIn(env.gatewayUrl, clientId, false);
  await probe(small.url, small.headers, small.body, 10, 2, { ratePerS: rate }); // warm-up
  await backgroundLoad(env.gatewayUrl, largeToken, 3); // warm-up: the vault learns the large page
  const alone: Array<{ p50: number; p99: number }> = [];
  const beside: Array<{ p50: number; p99: number; largePerS: number }> = [];
  for (let r = 0; r < rounds; r++) {
    const a = await probe(small.url, small.headers, small.body, 10, durationS, { ratePerS: rate });
    alone.push({ p50: a.p50Ms, p99: a.p99Ms });
    const load = backgroundLoad(env.gatewayUrl, largeToken, durationS + 2);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the loop's process starts and connects
    const b = await probe(small.url, small.headers, small.body, 10, durationS, { ratePerS: rate });
    const large = await load;
    if (large.non2xx + large.errors > 0 || !large.ok) throw new Error(`1 MB load failed: ${JSON.stringify(large)}`);
    beside.push({ p50: b.p50Ms, p99: b.p99Ms, largePerS: large.reqPerS });
    process.stderr.write(`round ${r + 1}: alone p50 ${a.p50Ms} p99 ${a.p99Ms} ms; beside 1 MB (${large.reqPerS} req/s) p50 ${b.p50Ms} p99 ${b.p99Ms} ms\n`);
  }
  console.log(`\n10 KB at ${rate}/s over 10 connections, alone and beside ${largeConnections} connections of 1 MB calls; RESULT_WORKERS=${process.env.RESULT_WORKERS ?? 'default'}; ${rounds} rounds × ${durationS} s (medians)`);
  console.log('| 10 KB calls | p50 ms | p99 ms | 1 MB req/s |');
  console.log('|---|---:|---:|---:|');
  console.log(`| alone | ${median(alone.map((x) => x.p50))} | ${median(alone.map((x) => x.p99))} | |`);
  console.log(`| beside 1 MB calls | ${median(beside.map((x) => x.p50))} | ${median(beside.map((x) => x.p99))} | ${round(median(beside.map((x) => x.largePerS)), 1)} |`);
} finally {
  for (const child of env.children.reverse()) await child.stop();
  await rm(env.dataDir, { recursive: true, force: true });
}
