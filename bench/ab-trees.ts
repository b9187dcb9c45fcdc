/**
 * What a change costs: Gatehouse from another checkout (`--base`) and from this one, side by side on
 * one upstream, in interleaved rounds (the order flips every round), and the paired differences
 * this − base round by round: p50, and the CPU a call of the event loop and of the other threads.
 * compare.ts compares the targets of one tree; this compares two trees.
 *
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx bench/ab-trees.ts --base=/tmp/base [--redaction=on|off] [--page=18] [--connections=10]
 *                             [--rate=200|saturated] [--rounds=8] [--duration=6] [--awake] [--node=machine]
 *
 * Both trees run on the Node the image ships (lib/runtime.ts; `--node=machine`: the one that started this).
 * `--awake` keeps every CPU busy at SCHED_IDLE meanwhile (lib/awake.ts), as the "CPUs kept awake" rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/free-port.js';
import { registerClient } from '../test/helpers/oauth-flow.js';
import { keepCpusAwake } from './lib/awake.js';
import { option } from './lib/options.js';
import { probe } from './lib/probe.js';
import { ROOT, spawnNode, waitReady, type Child } from './lib/processes.js';
import { onMeasuredNode } from './lib/runtime.js';
import { mcpRequest, PASSWORD, signIn, upstreamRequest, upstreamToken, verify, type RequestSpec } from './lib/setup.js';

await onMeasuredNode(process.argv.slice(2));
const baseDir = option('base', '');
if (baseDir === '') throw new Error('--base=DIR: a checkout of the commit to compare against (see the comment at the top)');
const redaction = option('redaction', 'on') === 'on';
const pageSize = Number(option('page', '18'));
const connections = Number(option('connections', '10'));
const rate = option('rate', '200');
const rounds = Number(option('rounds', '8'));
const durationS = Number(option('duration', '6'));
const awake = process.argv.includes('--awake');

const TICK_MS = 10; // USER_HZ
/** CPU ms so far of the process's main thread (the event loop) and of its other threads. */
function threadCpu(pid: number): { eventLoop: number; others: number } {
  let eventLoop = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    if (Number(tid) === pid) eventLoop += ms;
    else others += ms;
  }
  return { eventLoop, others };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Target {
  name: string;
  spec: RequestSpec;
  pid: number;
}

const children: Child[] = [];
const dataDirs: string[] = [];

async function gatewayFrom(name: string, dir: string, upstreamUrl: string): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-ab-'));
  dataDirs.push(dataDir);
  const gateway = spawnNode(name, 'src/main.ts', { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, UPSTREAM_URL: upstreamUrl }, [], dir);
  children.push(gateway);
  await waitReady(gateway, `${url}/healthz`);
  const token = await signIn(url, await registerClient(url, { client_name: `ab ${name}` }), !redaction);
  const spec = mcpRequest(url, pageSize, token);
  await verify(spec, 'mcp', pageSize, redaction ? 'on' : 'off');
  return { name, spec, pid: gateway.pid };
}

let stopAwake: (() => Promise<void>) | undefined;
try {
  const upstreamUrl = `http://127.0.0.1:${await freePort()}`;
  const upstream = spawnNode('upstream', 'src/demo-upstream/main.ts', { DEMO_UPSTREAM_PORT: new URL(upstreamUrl).port, DEMO_PASSWORD: PASSWORD });
  children.push(upstream);
  await waitReady(upstream, `${upstreamUrl}/healthz`);
  const direct: Target = { name: 'upstream', spec: upstreamRequest(upstreamUrl, pageSize, (await upstreamToken(upstreamUrl)).token!), pid: upstream.pid };
  const base = await gatewayFrom('base', path.resolve(baseDir), upstreamUrl);
  const mine = await gatewayFrom('this', ROOT, upstreamUrl);
  const load = rate === 'saturated' ? {} : { ratePerS: Number(rate) };
  console.log(`ab-trees: base ${path.resolve(baseDir)} against ${ROOT}; ${pageSize} records, redaction ${redaction ? 'on' : 'off'}, ${connections} connections, ${rate === 'saturated' ? 'saturated' : `paced ${rate}/s`}, ${rounds} rounds × ${durationS} s${awake ? ', CPUs kept awake' : ''}`);
  for (const target of [direct, base, mine]) await probe(target.spec.url, target.spec.headers, target.spec.body, connections, 2, load);
  if (awake) stopAwake = await keepCpusAwake();

  const seen = new Map<string, Array<{ p50: number; eventLoop: number; others: number }>>();
  for (let round = 0; round < rounds; round++) {
    for (const target of round % 2 === 0 ? [direct, base, mine] : [direct, mine, base]) {
      const before = threadCpu(target.pid);
      const result = await probe(target.spec.url, target.spec.headers, target.spec.body, connections, durationS, load);
      const after = threadCpu(target.pid);
      const row = { p50: result.p50Ms, eventLoop: (after.eventLoop - before.eventLoop) / result.requests, others: (after.others - before.others) / result.requests };
      seen.set(target.name, [...(seen.get(target.name) ?? []), row]);
      console.log(`round ${round + 1} ${target.name.padEnd(8)} p50 ${row.p50.toFixed(3)} ms, ${result.reqPerS} req/s, CPU a call: event loop ${row.eventLoop.toFixed(3)}, other threads ${row.others.toFixed(3)} ms`);
    }
  }
  const upstreamRows = seen.get('upstream')!;
  for (const name of ['base', 'this']) console.log(`${name} overhead per round (ms): ${seen.get(name)!.map((row, i) => (row.p50 - upstreamRows[i]!.p50).toFixed(3)).join(', ')}`);
  for (const key of ['p50', 'eventLoop', 'others'] as const) {
    const differences = seen.get('this')!.map((row, i) => row[key] - seen.get('base')![i]![key]);
    console.log(`this − base, ${key}: median ${median(differences).toFixed(3)} ms (${differences.filter((d) => d < 0).length} of ${rounds} lower) [${differences.map((d) => d.toFixed(3)).join(', ')}]`);
  }
} finally {
  await stopAwake?.();
  for (const child of children.reverse()) await child.stop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
}
