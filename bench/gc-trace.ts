/**
 * What V8's collectors cost Gatehouse under a 1 MB load with redaction, isolate by isolate (the
 * event loop's and each result worker's): Gatehouse runs with `--trace-gc`, and the events of one
 * load cell are summed by isolate, kind and reason, as pause ms a call. Incremental marking steps
 * done between pauses are not in the pauses; `--lines` prints the mark-compact lines, which state them,
 * and with `--gateway-args=--trace-incremental-marking` the lines that say why each marking started.
 * Gatehouse gets this process's environment, so `HEAP_GROWING_PERCENT=0` runs it with V8's own factor.
 *
 *   npx tsx bench/gc-trace.ts [--connections=50] [--duration=8] [--lines] [--gateway-args="--max-semi-space-size=64"]
 */
import { rm } from 'node:fs/promises';
import { registerClient } from '../test/helpers/oauth-flow.js';
import { runLoad } from './lib/load.js';
import { mcpRequest, signIn, start, verify } from './lib/setup.js';
import { option } from './lib/options.js';

const argv = process.argv.slice(2);
const connections = Number(option('connections', '50'));
const durationS = Number(option('duration', '8'));
const gatewayArgs = option('gateway-args', '').split(' ').filter(Boolean);

const env = await start({ embedded: false, nodeArgs: (name) => (name === 'gateway' ? ['--trace-gc', ...gatewayArgs] : []) });
const gateway = env.children.find((child) => child.name === 'gateway')!;
let lines: string[] = [];
let partial = '';
gateway.proc.stdout!.on('data', (chunk: Buffer) => {
  const text = partial + String(chunk);
  const complete = text.split('\n');
  partial = complete.pop()!;
  lines.push(...complete);
});
try {
  const clientId = await registerClient(env.gatewayUrl, { client_name: 'gatehouse-gc-trace' });
  const spec = mcpRequest(env.gatewayUrl, 1700, await signIn(env.gatewayUrl, clientId, false));
  const bytes = await verify(spec, 'mcp', 1700, 'on');
  await runLoad({ ...spec, connections, durationS: 3, expectedBytes: bytes }, []);
  lines = [];
  const load = await runLoad({ ...spec, connections, durationS, expectedBytes: bytes }, [gateway]);
  // e.g. "[123:0x5f…]     5247 ms: Mark-Compact 39.2 (75.4) -> 34.5 (73.9) MB, 14.47 / 0.04 ms  (…) finalize incremental marking via task; GC in old space requested"
  const event = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)\b.*?, ([\d.]+) \/ [\d.]+ ms\s+(?:\(.*?\)\s*)*(.*)$/;
  const sums = new Map<string, { events: number; pauseMs: number }>();
  for (const line of lines) {
    const m = event.exec(line);
    if (m === null) continue;
    const key = `isolate ${m[1]} ${m[2]}: ${m[4]!.split(';')[0]!.trim() || 'no reason given'}`;
    const sum = sums.get(key) ?? { events: 0, pauseMs: 0 };
    sum.events++;
    sum.pauseMs += Number(m[3]);
    sums.set(key, sum);
  }
  console.log(`${connections} connections, ${durationS} s: ${load.requests} calls, ${load.reqPerS} req/s, Gatehouse ${load.cpuMsPerReq.gateway} ms CPU a call${load.ok ? '' : ' (NOT OK)'}`);
  for (const [key, sum] of [...sums].sort((a, b) => b[1].pauseMs - a[1].pauseMs)) {
    console.log(`${key}: ${sum.events} events, ${sum.pauseMs.toFixed(0)} ms of pauses, ${(sum.pauseMs / Math.max(1, load.requests)).toFixed(2)} ms a call`);
  }
  if (argv.includes('--lines')) console.log(lines.filter((line) => line.includes('Mark-Compact') || line.includes('[IncrementalMarking] Start (')).join('\n'));
} finally {
  for (const child of env.children.reverse()) await child.stop();
  await rm(env.dataDir, { recursive: true, force: true });
}
