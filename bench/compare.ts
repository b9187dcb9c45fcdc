/**
 * A quicker, steadier side-by-side than the full run: Gatehouse (redaction off and on) and the peer,
 * one result size and one connection count, in interleaved rounds so a noisy neighbour hits every
 * target alike; prints the median of each. For checking a change, and for the ratios bench/HISTORY.md
 * quotes beside the full run.
 *
 *   npx tsx bench/compare.ts [--size=10KB|1MB] [--connections=10] [--rounds=5] [--duration=5] [--pause=300] [--profile]
 *                            [--targets=upstream,peer,off,on,floor,relay] [--paced=RATE [--awake]] [--revision=2026-07-28] [--store=redis]
 *                            [--node=machine]
 *
 * --paced=RATE also probes p50 latency at RATE requests/s (open loop, `connections` sockets) per target, in
 * interleaved rounds, and prints each target's overhead per call (its p50 − the upstream's, per round).
 * `floor` (not in the default targets) is bench/floor-server.ts: the least a Node gateway does for this
 * call, so Gatehouse's overhead minus the floor's is what its own features cost. `relay` (not in the
 * default targets either) is bench/relay-server.ts, probed with the upstream's own request: one more
 * process and two more loopback legs, no HTTP or JSON work, so the floor's overhead minus the relay's
 * is what that work costs.
 * --awake runs each paced round twice, as it is and with every CPU kept busy by a SCHED_IDLE spinner
 * (bench/lib/awake.ts), in alternating order: the difference is what waking idle vCPUs costs on this machine.
 * --revision replays the tools/call request the official SDK client sends for that protocol revision
 * (captured from a real session) instead of the harness's 2025-06-18 body, to peer and Gatehouse alike.
 * Every process runs on the Node the image ships, fetched with npx when this one is another major
 * (bench/lib/runtime.ts); --node=machine keeps the Node that started the script.
 * --store=redis runs Gatehouse on a redis-server of its own (REDIS_URL and TOKEN_ENCRYPTION_KEY, as
 * replicas run), where each call loads its session from Redis; the memory store is the default.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { registerClient } from '../test/helpers/oauth-flow.js';
import { startRedisServer, type RunningRedis } from '../test/helpers/redis-server.js';
import { keepCpusAwake } from './lib/awake.js';
import { round, runLoad } from './lib/load.js';
import { probe, type ProbeResult } from './lib/probe.js';
import { ROOT, spawnNode, waitReady, type Child } from './lib/processes.js';
import { onMeasuredNode } from './lib/runtime.js';
import type { ProtocolRevision } from '../test/helpers/mcp-client.js';
import { capturedToolCall, mcpRequest, signIn, start, upstreamRequest, upstreamToken, verify, type RequestSpec } from './lib/setup.js';
import { option } from './lib/options.js';

const argv = process.argv.slice(2);
await onMeasuredNode(argv);
const size = option('size', '10KB');
const pageSize = size === '1MB' ? 1700 : 18;
const connections = Number(option('connections', '10'));
const rounds = Number(option('rounds', '5'));
const durationS = Number(option('duration', '5'));
/** Idle time before each target's turn; `npm run bench` waits 3000 ms before a 1 MB cell. */
const pauseMs = Number(option('pause', '300'));
const profile = argv.includes('--profile');
const only = option('targets', 'upstream,peer,off,on').split(',');
/** Paced: each round also with every CPU kept awake (bench/lib/awake.ts), to show what idle wake-ups cost here. */
const awake = argv.includes('--awake');
const AWAKE = ' (awake)';
if (awake && !argv.some((arg) => arg.startsWith('--paced='))) throw new Error('--awake applies to the paced rounds: give --paced=RATE too');
const revision = argv.find((arg) => arg.startsWith('--revision='))?.split('=')[1] as ProtocolRevision | undefined;
const nodeArgs = (name: string) => (profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'profiles', name)}`] : []);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const redis: RunningRedis | undefined = option('store', 'memory') === 'redis' ? await startRedisServer() : undefined;
const env = await start({ embedded: false, nodeArgs, redisUrl: redis?.url });
const children: Child[] = [...env.children];
try {
  const clientId = await registerClient(env.gatewayUrl, { client_name: 'gatehouse-compare' });
  const redacted = await signIn(env.gatewayUrl, clientId, false);
  const sharing = await signIn(env.gatewayUrl, clientId, true);
  const upstreamBearer = (await upstreamToken(env.upstreamUrl)).token!;
  const peer = spawnNode('peer', 'bench/peer-server.ts', { PORT: String(env.peerPort), UPSTREAM_URL: env.upstreamUrl, UPSTREAM_TOKEN: upstreamBearer }, nodeArgs('peer'));
  children.push(peer);
  const peerUrl = `http://127.0.0.1:${env.peerPort}`;
  await waitReady(peer, `${peerUrl}/healthz`);
  /** A reference server of bench/ when `name` is among the targets: its base URL. */
  const reference = async (name: 'floor' | 'relay', script: string, port: number) => {
    if (!only.includes(name)) return undefined;
    const url = `http://127.0.0.1:${port}`;
    const child = spawnNode(name, script, { PORT: String(port), UPSTREAM_URL: env.upstreamUrl, UPSTREAM_TOKEN: upstreamBearer }, nodeArgs(name));
    children.push(child);
    await waitReady(child, `${url}/healthz`);
    return url;
  };
  const floorUrl = await reference('floor', 'bench/floor-server.ts', env.floorPort);
  const relayUrl = await reference('relay', 'bench/relay-server.ts', env.relayPort);

  const targets: Array<{ name: string; spec: RequestSpec; bytes: number; process: string }> = [];
  const add = async (name: string, spec: RequestSpec, process: string, kind: 'mcp' | 'upstream', redaction?: 'on' | 'off') =>
    targets.push({ name, spec, process, bytes: await verify(spec, kind, pageSize, redaction) });
  await add('upstream', upstreamRequest(env.upstreamUrl, pageSize, upstreamBearer), 'upstream', 'upstream');
  const request = async (url: string, token?: string) =>
    revision === undefined ? mcpRequest(url, pageSize, token) : capturedToolCall(url, token ?? 'none', revision, 'search_records', { type: 'members', pageSize });
  await add('peer', await request(peerUrl), 'peer', 'mcp', 'off');
  if (floorUrl !== undefined) await add('floor', mcpRequest(floorUrl, pageSize), 'floor', 'mcp', 'off');
  if (relayUrl !== undefined) await add('relay', upstreamRequest(relayUrl, pageSize, upstreamBearer), 'relay', 'upstream');
  await add('gateway off', await request(env.gatewayUrl, sharing), 'gateway', 'mcp', 'off');
  await add('gateway on', await request(env.gatewayUrl, redacted), 'gateway', 'mcp', 'on');

  const watch = [...children];
  const seen = new Map<string, { reqPerS: number[]; cpu: number[]; p50: number[]; ok: boolean }>();
  targets.splice(0, targets.length, ...targets.filter((t) => only.includes(t.name.replace('gateway ', ''))));
  for (const t of targets) await runLoad({ ...t.spec, connections, durationS: 2, expectedBytes: t.bytes }, []);
  for (let r = 0; r < rounds; r++) {
    for (const t of targets) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const result = await runLoad({ ...t.spec, connections, durationS, expectedBytes: t.bytes }, watch);
      const entry = seen.get(t.name) ?? { reqPerS: [], cpu: [], p50: [], ok: true };
      entry.reqPerS.push(result.reqPerS);
      entry.cpu.push(result.cpuMsPerReq[t.process]!);
      entry.p50.push(result.p50Ms);
      entry.ok &&= result.ok;
      seen.set(t.name, entry);
      process.stderr.write(`round ${r + 1} ${t.name.padEnd(12)} ${result.reqPerS} req/s, ${result.cpuMsPerReq[t.process]} ms CPU/call${result.ok ? '' : ' NOT OK'}\n`);
    }
  }
  const peerReqPerS = seen.has('peer') ? median(seen.get('peer')!.reqPerS) : Number.NaN;
  console.log(`\n${size}, ${connections} connections, ${rounds} rounds × ${durationS} s (medians)${revision ? `, requests as the SDK client sends them for ${revision}` : ''}`);
  console.log('| target | req/s | p50 ms | CPU ms/call (own process) | vs peer | ok |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const [name, entry] of seen) {
    console.log(`| ${name} | ${median(entry.reqPerS)} | ${median(entry.p50)} | ${median(entry.cpu)} | ${round(median(entry.reqPerS) / peerReqPerS, 2)} | ${entry.ok ? 'yes' : 'NO'} |`);
  }
  const paced = argv.find((arg) => arg.startsWith('--paced='));
  if (paced !== undefined) {
    const ratePerS = Number(paced.split('=')[1]);
    // Interleaved like the load rounds: a neighbour's burst hits each target alike. With --awake each
    // round runs twice, plain and with every CPU kept awake (bench/lib/awake.ts), in alternating order.
    type Paced = ProbeResult & { cpuMsPerReq: number };
    /** Per mode ('' as it is, AWAKE with every CPU kept awake), each target's rounds. */
    const results = new Map((awake ? ['', AWAKE] : ['']).map((mode) => [mode, new Map<string, Paced[]>()]));
    const modes = [...results.keys()];
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
        const stopSpinners = mode === AWAKE ? await keepCpusAwake() : undefined;
        try {
          for (const t of targets) {
            // At a low rate a call costs more CPU than when saturated (no batching, colder caches): this is the cost the overhead pays.
            const server = children.find((child) => child.name === t.process)!;
            const before = server.cpuMs();
            const result = await probe(t.spec.url, t.spec.headers, t.spec.body, connections, durationS, { ratePerS });
            const byTarget = results.get(mode)!;
            byTarget.set(t.name, [...(byTarget.get(t.name) ?? []), { ...result, cpuMsPerReq: round((server.cpuMs() - before) / Math.max(1, result.requests), 3) }]);
          }
        } finally {
          await stopSpinners?.();
        }
      }
    }
    console.log(`\npaced ${ratePerS}/s, ${connections} connections, ${rounds} rounds × ${durationS} s (precise probe, medians)`);
    console.log('| target | p50 ms | p99 ms | req/s | CPU ms/call (own process) |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [mode, byTarget] of results) {
      for (const [name, list] of byTarget) {
        console.log(`| ${name}${mode} | ${median(list.map((x) => x.p50Ms))} | ${median(list.map((x) => x.p99Ms))} | ${median(list.map((x) => x.reqPerS))} | ${median(list.map((x) => x.cpuMsPerReq))} |`);
      }
    }
    for (const [mode, byTarget] of results) {
      const upstream = byTarget.get('upstream');
      if (upstream === undefined) continue;
      for (const [name, list] of byTarget) {
        if (name === 'upstream') continue;
        const perRound = list.map((x, i) => round(x.p50Ms - upstream[i]!.p50Ms, 3));
        console.log(`${name}${mode} overhead per call (p50 − upstream p50, per round): median ${median(perRound)} ms (${perRound.join(', ')})`);
      }
    }
  }
} finally {
  for (const child of children.reverse()) await child.stop();
  await rm(env.dataDir, { recursive: true, force: true });
  await redis?.stop();
}
