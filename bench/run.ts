/**
 * The Gatehouse benchmark (`npm run bench`, `npm run bench -- --quick`). On 127.0.0.1 only:
 *
 *  1. starts the demo upstream and Gatehouse as separate Node processes (Gatehouse pointed at the
 *     upstream with UPSTREAM_URL; `--embedded` runs Gatehouse's embedded upstream instead) and the
 *     peer (a bare MCP SDK v2 server, bench/peer-server.ts);
 *  2. signs in through the real OAuth flow (register → /authorize form → code → /token) twice with
 *     one client: a redacted session and a PII-sharing session;
 *  3. measures tools/call search_records at 1, 10 and 50 connections for ~10 KB and ~1 MB results,
 *     redaction on and off, and the same searches straight against the upstream and via the peer,
 *     in 3 interleaved rounds (1 with --quick): the ratios to the peer are the medians of each
 *     round's ratio, so a slower minute weighs on both sides of a ratio alike;
 *  4. the gateway overhead per call (precise p50 probe, gateway − upstream): closed loop at 1 and 10
 *     connections, and paced (open loop, below capacity) at 10 connections in 5 interleaved rounds,
 *     where the floor (bench/floor-server.ts, a bare forwarder) and the relay (bench/relay-server.ts,
 *     bytes relayed, nothing parsed: the hop alone) are measured the same way beside it; for 10 KB the
 *     paced rounds again with every CPU kept awake (bench/lib/awake.ts; a diagnostic, `--no-awake`);
 *  5. sign-in throughput (upstream password grant alone; full /authorize form posts) and /mcp p99
 *     alone and while sign-ins run, saturated and paced, in 5 interleaved rounds (1 with --quick),
 *     each round beside a control where only the upstream checks passwords;
 *  6. memory per session with 100,000 sessions (bench/sessions-memory.ts, own process);
 *  7. the PII filter micro-benchmark (bench/pii-filter.bench.ts, own process).
 *
 * Prints a table and writes bench/results/latest.json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registerClient, REDIRECT_URI } from '../test/helpers/oauth-flow.js';
import { hasChrt } from '../test/helpers/chrt.js';
import { keepCpusAwake } from './lib/awake.js';
import { runLoad, round, type LoadResult } from './lib/load.js';
import { markdownTables, type PrintedTable } from './lib/markdown-tables.js';
import { probe, type ProbeResult } from './lib/probe.js';
import { ROOT, spawnNode, waitReady, type Child } from './lib/processes.js';
import { measuredNode, onMeasuredNode } from './lib/runtime.js';
import { authorizeOnce, mcpRequest, signIn, start, upstreamRequest, upstreamToken, verify, type RequestSpec } from './lib/setup.js';
import { signInLoop, startSignInLoop, type SignInLoad } from './lib/sign-in-loop.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const embedded = argv.includes('--embedded');
const skipMemory = argv.includes('--no-memory');
const profile = argv.includes('--profile');
const PROFILE_DIR = path.join(ROOT, 'bench', 'results', 'profiles');
const profileArgs = (name: string) => (profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILE_DIR, name)}`] : []);
const durationArg = argv.find((arg) => arg.startsWith('--duration='));
const DURATION_S = durationArg ? Number(durationArg.split('=')[1]) : quick ? 1 : 5;
const WARMUP_S = quick ? 1 : 2;
const CONNECTIONS = [1, 10, 50];
const ALL_SIZES = [
  { name: '10KB', pageSize: 18 },
  { name: '1MB', pageSize: 1700 },
] as const;
const sizesArg = argv.find((arg) => arg.startsWith('--sizes='))?.split('=')[1]?.split(',');
const SIZES = ALL_SIZES.filter((size) => sizesArg === undefined || sizesArg.includes(size.name));
const SIGNIN_CONCURRENCY = 4;
/**
 * Interleaved rounds of the paced overhead probe. Five: the verdict is their median, and one round's
 * overhead ranged over 1 ms within a run (0.25 to 1.33 at 18:39 on 2026-12-07), which a median of
 * three carried from one side of the target to the other between runs.
 */
const PACED_ROUNDS = quick ? 1 : 5;
/**
 * Interleaved rounds of /mcp with and without sign-ins, saturated and paced. Five: the verdict is a
 * p99 against its control's, a few ms apart, and single cells here differed by more than that.
 */
const SIGNIN_ROUNDS = quick ? 1 : 5;
/** The paced 10 KB overhead rounds again with every CPU kept awake (bench/lib/awake.ts); needs chrt, off with --no-awake. */
const AWAKE_DIAGNOSTIC = !argv.includes('--no-awake') && hasChrt();
/** Interleaved rounds of the closed-loop cells (every target once a round, at each connection count). */
const LOAD_ROUNDS = quick ? 1 : 3;
/** Open-loop rates for the paced overhead probe: well below what either side can serve, so latency is work, not queueing. */
const PACED_RATE: Record<string, number> = { '10KB': 200, '1MB': 5 };
/** 1 MB calls take 10–100 ms of CPU each: give those cells twice the time so 50 connections complete enough of them. */
/** A pause before each cell so requests still in flight from the previous one do not count against it. */
const settle = (size: { name: string }) => new Promise((resolve) => setTimeout(resolve, size.name === '1MB' ? 3000 : 500));
const cellSeconds = (size: { name: string }) => (size.name === '1MB' ? DURATION_S * 2 : DURATION_S);

type Target = 'gateway' | 'upstream' | 'peer';
interface Overhead {
  size: string;
  redaction: 'on' | 'off';
  connections: number;
  load: string;
  /** Measured with every CPU kept awake (bench/lib/awake.ts): a diagnostic row, never the verdict. */
  awake?: true;
  gateway: ProbeResult;
  upstream: ProbeResult;
  overheadP50Ms: number;
  /** Paced: each interleaved round's overhead. */
  rounds?: number[];
  /** Paced: the same for the floor (bench/floor-server.ts) in the same rounds: what the hop and the JSON cost any Node gateway here. */
  floor?: { overheadP50Ms: number; rounds: number[] };
  /** Paced: the same for the relay (bench/relay-server.ts) in the same rounds: what the hop alone costs here. */
  relay?: { overheadP50Ms: number; rounds: number[] };
}
/** What the sign-in rows read of a saturated cell (autocannon) and of a paced probe alike. */
type Latencies = Pick<LoadResult, 'reqPerS' | 'p50Ms' | 'p99Ms'>;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const roundMs = (value: number) => round(value, 3);
interface Cell extends LoadResult {
  target: Target;
  size: string;
  redaction: 'on' | 'off' | '-';
  connections: number;
  /** Which of the interleaved rounds (1-based). */
  round: number;
  /** The machine's 1-minute load average right after the cell: > 2 on 2 cores means something else ran too. */
  loadAvg1m: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- sign-in load ---------------------------------------------------------------------------------

interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The gateway's event-loop delay since the last call (see bench/lib/eld-hook.ts). */
async function eventLoopDelay(child: Child, file: string): Promise<EventLoopDelay | undefined> {
  const since = Date.now();
  child.proc.kill('SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as { p50Ms: number; p99Ms: number; maxMs: number; at: number };
      if (value.at >= since) return { p50Ms: value.p50Ms, p99Ms: value.p99Ms, maxMs: value.maxMs };
    } catch {
      // not written yet
    }
  }
  return undefined;
}

/** One round of /mcp measured alone, with 1 and SIGNIN_CONCURRENCY sign-in loops, and beside the control. */
interface SignInRound<R> {
  alone: R;
  aloneEventLoopDelay?: EventLoopDelay;
  withSignIns: Array<{ concurrency: number; mcp: R; signIns: SignInLoad; eventLoopDelay?: EventLoopDelay }>;
  /** The control: the upstream alone hashes passwords, one at a time (the rate Gatehouse lets through on 2 cores), no Gatehouse sign-ins. */
  withHashing: R;
  withHashingEventLoopDelay?: EventLoopDelay;
  hashing: SignInLoad;
}

type SignInLoop = Promise<{ done: Promise<SignInLoad> }>;

async function signInRound<R>(
  measure: () => Promise<R>,
  signIns: (concurrency: number) => SignInLoop,
  controlHashing: () => SignInLoop,
  eventLoopDelaySinceLast: () => Promise<EventLoopDelay | undefined>,
): Promise<SignInRound<R>> {
  await eventLoopDelaySinceLast();
  const alone = await measure();
  const aloneEventLoopDelay = await eventLoopDelaySinceLast();
  const withSignIns: SignInRound<R>['withSignIns'] = [];
  for (const concurrency of [1, SIGNIN_CONCURRENCY]) {
    const loop = await signIns(concurrency);
    const [mcp, during] = await Promise.all([measure(), loop.done]);
    withSignIns.push({ concurrency, mcp, signIns: during, eventLoopDelay: await eventLoopDelaySinceLast() });
  }
  const control = await controlHashing();
  const [withHashing, hashing] = await Promise.all([measure(), control.done]);
  return { alone, aloneEventLoopDelay, withSignIns, withHashing, withHashingEventLoopDelay: await eventLoopDelaySinceLast(), hashing };
}

// ---- child benchmarks -------------------------------------------------------------------------------

function runChild(args: string[], timeoutMs: number): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
}

/**
 * The CPU's family, model, stepping and cache from /proc/cpuinfo (Linux), or undefined: a cloud VM's
 * model name ("AMD EPYC") stays the same across host generations that run the same code at very
 * different speeds (bench/HISTORY.md, "A cheaper hop").
 */
function cpuKind(): string | undefined {
  let info: string;
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, 'm').exec(info)?.[1]?.trim();
  const parts = [['family', field('cpu family')], ['model', field('model')], ['stepping', field('stepping')], ['cache', field('cache size')]].filter(([, value]) => value !== undefined);
  return parts.length === 0 ? undefined : parts.map(([name, value]) => `${name} ${value}`).join(', ');
}

/**
 * Linux's cpuidle driver, or undefined. "none" (as on this machine kind's VM) means an idle vCPU
 * halts and waking it goes through the host: what the paced rounds with CPUs kept awake measure.
 */
function cpuidleDriver(): string | undefined {
  try {
    return readFileSync('/sys/devices/system/cpu/cpuidle/current_driver', 'utf8').trim();
  } catch {
    return undefined;
  }
}

// ---- main -------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const machine = {
    node: process.version,
    /** 'image': the Node of the Dockerfile's runtime stage (bench/lib/runtime.ts); 'machine' with --node=machine. */
    nodeOf: measuredNode(),
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    cpuKind: cpuKind(),
    cpuidleDriver: cpuidleDriver(),
    platform: `${os.type()} ${os.release()}`,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
  };
  log(`bench: ${quick ? 'quick ' : ''}${DURATION_S}s cells, ${embedded ? 'embedded upstream' : 'separate upstream process'}; ${machine.cpus} × ${machine.model}${machine.cpuKind ? ` (${machine.cpuKind})` : ''}${machine.cpuidleDriver ? `, cpuidle driver ${machine.cpuidleDriver}` : ''}, node ${machine.node} (the ${machine.nodeOf}'s)`);
  if (!AWAKE_DIAGNOSTIC) log(`the paced 10 KB rounds with CPUs kept awake are skipped: ${argv.includes('--no-awake') ? '--no-awake' : 'no util-linux chrt here (SCHED_IDLE)'}`);
  const env = await start({ embedded, nodeArgs: profileArgs });
  const { gatewayUrl, upstreamUrl, gateway } = env;
  let peer: Child | undefined;
  let floor: Child | undefined;
  let relay: Child | undefined;
  try {
    // Sign in: one registered client, two sessions.
    const clientId = await registerClient(gatewayUrl, { client_name: 'gatehouse-bench' });
    const redactedToken = await signIn(gatewayUrl, clientId, false);
    const sharingToken = await signIn(gatewayUrl, clientId, true);
    const upstreamBearer = (await upstreamToken(upstreamUrl)).token;
    if (!upstreamBearer) throw new Error('upstream password grant failed');
    log('signed in: redacted and PII-sharing sessions; upstream token for direct calls');

    peer = spawnNode('peer', 'bench/peer-server.ts', { PORT: String(env.peerPort), UPSTREAM_URL: upstreamUrl, UPSTREAM_TOKEN: upstreamBearer }, profileArgs('peer'));
    const peerUrl = `http://127.0.0.1:${env.peerPort}`;
    await waitReady(peer, `${peerUrl}/healthz`);
    floor = spawnNode('floor', 'bench/floor-server.ts', { PORT: String(env.floorPort), UPSTREAM_URL: upstreamUrl, UPSTREAM_TOKEN: upstreamBearer });
    const floorUrl = `http://127.0.0.1:${env.floorPort}`;
    await waitReady(floor, `${floorUrl}/healthz`);
    relay = spawnNode('relay', 'bench/relay-server.ts', { PORT: String(env.relayPort), UPSTREAM_URL: upstreamUrl });
    const relayUrl = `http://127.0.0.1:${env.relayPort}`;
    await waitReady(relay, `${relayUrl}/healthz`);

    const watch = [gateway, ...(env.upstream ? [env.upstream] : []), peer];
    const cells: Cell[] = [];
    const overhead: Overhead[] = [];

    for (const size of SIZES) {
      const targets: Array<{ target: Target; redaction: Cell['redaction']; spec: RequestSpec; bytes: number }> = [];
      const up = upstreamRequest(upstreamUrl, size.pageSize, upstreamBearer);
      targets.push({ target: 'upstream', redaction: '-', spec: up, bytes: await verify(up, 'upstream', size.pageSize) });
      const peerSpec = mcpRequest(peerUrl, size.pageSize);
      targets.push({ target: 'peer', redaction: '-', spec: peerSpec, bytes: await verify(peerSpec, 'mcp', size.pageSize, 'off') });
      const floorTarget = { spec: mcpRequest(floorUrl, size.pageSize), bytes: 0 };
      floorTarget.bytes = await verify(floorTarget.spec, 'mcp', size.pageSize, 'off');
      const relaySpec = upstreamRequest(relayUrl, size.pageSize, upstreamBearer);
      await verify(relaySpec, 'upstream', size.pageSize);
      for (const [redaction, token] of [['off', sharingToken], ['on', redactedToken]] as const) {
        const spec = mcpRequest(gatewayUrl, size.pageSize, token);
        targets.push({ target: 'gateway', redaction, spec, bytes: await verify(spec, 'mcp', size.pageSize, redaction) });
      }
      for (const t of targets) {
        log(`warm-up ${t.target} ${size.name} redaction ${t.redaction} (${t.bytes} B per response)`);
        await runLoad({ ...t.spec, connections: 10, durationS: WARMUP_S, expectedBytes: t.bytes }, []);
      }
      for (const connections of CONNECTIONS) {
        for (let r = 1; r <= LOAD_ROUNDS; r++) {
          for (const t of targets) {
            await settle(size);
            const result = await runLoad({ ...t.spec, connections, durationS: cellSeconds(size), expectedBytes: t.bytes }, watch);
            cells.push({ target: t.target, size: size.name, redaction: t.redaction, connections, round: r, ...result, loadAvg1m: round(os.loadavg()[0]!, 2) });
            log(`${t.target.padEnd(8)} ${size.name.padEnd(4)} redaction ${t.redaction.padEnd(3)} c=${String(connections).padEnd(2)} round ${r} ${String(result.reqPerS).padStart(7)} req/s p50 ${result.p50Ms} p99 ${result.p99Ms} ms ${result.ok ? '' : `NOT OK (non2xx ${result.non2xx}, errors ${result.errors}, ${result.bytesPerResponse} B/resp)`}`);
          }
        }
      }
      // Precise p50 at 1 and 10 connections: gateway vs the same search straight at the upstream.
      // Closed loop once; paced (the overhead verdict) in interleaved rounds, reported as medians.
      const upstreamTarget = targets.find((t) => t.target === 'upstream')!;
      // Then, for 10 KB, the paced rounds again with every CPU kept awake: a diagnostic of what idle
      // vCPUs cost this machine (bench/lib/awake.ts), never the verdict.
      const probes: Array<{ connections: number; ratePerS?: number; awake?: boolean }> = [{ connections: 1 }, { connections: 10 }, { connections: 10, ratePerS: PACED_RATE[size.name] }];
      if (size.name === '10KB' && AWAKE_DIAGNOSTIC) probes.push({ connections: 10, ratePerS: PACED_RATE[size.name], awake: true });
      for (const { connections, ratePerS, awake } of probes) {
        const load = ratePerS === undefined ? 'closed loop' : `paced ${ratePerS}/s${awake ? ', CPUs kept awake' : ''}`;
        const rounds = ratePerS === undefined ? 1 : PACED_ROUNDS;
        const byRedaction = new Map<'on' | 'off', Array<{ g: ProbeResult; u: ProbeResult }>>();
        // The reference servers, probed the same way in the same rounds: each round's overhead.
        const references = [
          { name: 'floor' as const, spec: floorTarget.spec, rounds: [] as number[] },
          { name: 'relay' as const, spec: relaySpec, rounds: [] as number[] },
        ];
        const stopSpinners = awake ? await keepCpusAwake() : undefined;
        try {
          for (let r = 0; r < rounds; r++) {
            const u = await probe(upstreamTarget.spec.url, upstreamTarget.spec.headers, upstreamTarget.spec.body, connections, cellSeconds(size), { ratePerS });
            if (ratePerS !== undefined) {
              for (const reference of references) {
                const f = await probe(reference.spec.url, reference.spec.headers, reference.spec.body, connections, cellSeconds(size), { ratePerS });
                reference.rounds.push(roundMs(f.p50Ms - u.p50Ms));
                log(`overhead ${size.name} ${reference.name} c=${connections} ${load}${rounds > 1 ? ` round ${r + 1}` : ''}: ${reference.name} p50 ${f.p50Ms} ms − upstream p50 ${u.p50Ms} ms = ${roundMs(f.p50Ms - u.p50Ms)} ms`);
              }
            }
            for (const t of targets.filter((x) => x.target === 'gateway')) {
              const g = await probe(t.spec.url, t.spec.headers, t.spec.body, connections, cellSeconds(size), { ratePerS });
              const redaction = t.redaction as 'on' | 'off';
              byRedaction.set(redaction, [...(byRedaction.get(redaction) ?? []), { g, u }]);
              log(`overhead ${size.name} redaction ${redaction} c=${connections} ${load}${rounds > 1 ? ` round ${r + 1}` : ''}: gateway p50 ${g.p50Ms} ms − upstream p50 ${u.p50Ms} ms = ${roundMs(g.p50Ms - u.p50Ms)} ms`);
            }
          }
        } finally {
          await stopSpinners?.();
        }
        for (const [redaction, pairs] of byRedaction) {
          const perRound = pairs.map(({ g, u }) => roundMs(g.p50Ms - u.p50Ms));
          const mid = pairs[perRound.indexOf(median(perRound))]!;
          overhead.push({
            size: size.name,
            redaction,
            connections,
            load,
            ...(awake ? { awake: true as const } : {}),
            gateway: mid.g,
            upstream: mid.u,
            overheadP50Ms: median(perRound),
            ...(rounds > 1 ? { rounds: perRound } : {}),
            ...Object.fromEntries(references.filter((x) => x.rounds.length > 0).map((x) => [x.name, { overheadP50Ms: median(x.rounds), rounds: x.rounds }])),
          });
        }
      }
    }
    await peer.stop();
    peer = undefined;
    await floor.stop();
    floor = undefined;
    await relay.stop();
    relay = undefined;

    // Sign-in: the upstream's password grant alone, then full form posts through Gatehouse.
    const serverProcs = watch.filter((c) => c.name !== 'peer');
    const upstreamSignIns = await signInLoop(DURATION_S, SIGNIN_CONCURRENCY, async () => (await upstreamToken(upstreamUrl)).status, 200, serverProcs);
    log(`upstream password grant (argon2id default params), ${SIGNIN_CONCURRENCY} concurrent: ${upstreamSignIns.perS}/s p50 ${upstreamSignIns.p50Ms} ms`);
    const gatewaySignIns = await signInLoop(DURATION_S, SIGNIN_CONCURRENCY, async () => (await authorizeOnce(gatewayUrl, clientId, false)).status, 303, serverProcs);
    log(`gateway sign-in (GET /authorize + form post → 303), ${SIGNIN_CONCURRENCY} concurrent: ${gatewaySignIns.perS}/s p50 ${gatewaySignIns.p50Ms} ms; statuses ${JSON.stringify(gatewaySignIns.statuses)}`);
    const mcpSpec = mcpRequest(gatewayUrl, ALL_SIZES[0].pageSize, redactedToken);
    const mcpBytes = await verify(mcpSpec, 'mcp', ALL_SIZES[0].pageSize, 'on');
    const mcpCell = () => runLoad({ ...mcpSpec, connections: 10, durationS: DURATION_S, expectedBytes: mcpBytes }, serverProcs);
    // Paced: /mcp at a rate Gatehouse serves with room to spare, so its p99 shows whether sign-ins hold up the event loop.
    const mcpPaced = () => probe(mcpSpec.url, mcpSpec.headers, mcpSpec.body, 10, DURATION_S, { ratePerS: PACED_RATE['10KB']! });
    // The sign-ins run in a process of their own: their HTML and PKCE work must not stall the /mcp probe's event loop.
    const signIns = (concurrency: number) => startSignInLoop(gatewayUrl, clientId, concurrency, DURATION_S);
    const controlHashing = () => startSignInLoop(upstreamUrl, '--password-grant', 1, DURATION_S);
    const eld = () => eventLoopDelay(gateway, env.eldFile);
    // Saturated and paced, in interleaved rounds: one p99 is the 10th-worst of 1,000 samples and moves
    // with any neighbour's burst, so each condition is measured once per round and the medians compared.
    const saturatedRounds: Array<SignInRound<LoadResult>> = [];
    const pacedRounds: Array<SignInRound<ProbeResult>> = [];
    for (let r = 0; r < SIGNIN_ROUNDS; r++) {
      saturatedRounds.push(await signInRound(mcpCell, signIns, controlHashing, eld));
      pacedRounds.push(await signInRound(mcpPaced, signIns, controlHashing, eld));
      for (const [kind, last] of [['saturated', saturatedRounds.at(-1)!], ['paced', pacedRounds.at(-1)!]] as const) {
        log(`${kind} round ${r + 1}: /mcp p99 alone ${last.alone.p99Ms} ms, ${last.withSignIns.map((w) => `with ${w.concurrency} sign-in loop(s) ${w.mcp.p99Ms} ms (${w.signIns.perS}/s)`).join(', ')}, while the upstream alone checks passwords ${last.withHashing.p99Ms} ms (${last.hashing.perS}/s)`);
      }
    }
    // What the rate limits say: /register is 5/min/IP (one used above), /token 60/min/IP.
    const extraRegistrations: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${gatewayUrl}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'bench-limit-probe', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
      });
      await response.arrayBuffer();
      extraRegistrations.push(response.status);
    }

    const stopAll = async () => {
      for (const child of env.children.reverse()) await child.stop();
    };
    await stopAll();

    // Memory per session and the PII filter, each in its own process.
    let memory: unknown;
    if (!skipMemory) {
      log('sessions memory: 100,000 sessions through createSessionService + memory store, then a vault each');
      memory = JSON.parse(runChild(['--expose-gc', '--import', 'tsx', 'bench/sessions-memory.ts', '100000'], 240_000));
      log(JSON.stringify(memory));
    }
    log('PII filter: bench/pii-filter.bench.ts');
    const piiOutput = runChild(['--import', 'tsx', 'bench/pii-filter.bench.ts'], 240_000);
    // Keep the PII bench's own tables as it prints them (their columns are its owner's to change),
    // each with the line above it as its title.
    const pii = { input: piiOutput.split('\n').find((line) => line.startsWith('input:')) ?? '', tables: markdownTables(piiOutput) };

    const results = {
      date: startedAt.toISOString(),
      loadAvgAtStart: round(loadAtStart, 2),
      loadAvgAtEnd: round(os.loadavg()[0]!, 2),
      machine,
      settings: { durationS: DURATION_S, warmupS: WARMUP_S, loadRounds: LOAD_ROUNDS, pacedRounds: PACED_ROUNDS, signInRounds: SIGNIN_ROUNDS, awakeDiagnostic: AWAKE_DIAGNOSTIC, quick, embedded, signInConcurrency: SIGNIN_CONCURRENCY, logLevel: 'warn' },
      cells,
      overhead,
      peerRatio: peerRatios(cells),
      signIn: { upstreamPasswordGrant: upstreamSignIns, gatewayFormPost: gatewaySignIns, saturatedRounds, pacedRounds, registerStatusesAfterFirst: extraRegistrations },
      memory,
      pii,
    };
    await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(path.join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(renderTables(results));
    log('wrote bench/results/latest.json');
  } finally {
    await peer?.stop();
    await floor?.stop();
    await relay?.stop();
    for (const child of env.children) await child.stop();
    await rm(env.dataDir, { recursive: true, force: true });
  }
}

/** Each round's gateway cell against that round's peer cell; the row gives the medians and every round's ratio. */
function peerRatios(cells: Cell[]) {
  const rows: Array<{ size: string; connections: number; redaction: 'on' | 'off'; gatewayReqPerS: number; peerReqPerS: number; ratio: number; rounds: number[] }> = [];
  for (const first of cells.filter((c) => c.target === 'gateway' && c.round === 1)) {
    const same = (c: Cell) => c.size === first.size && c.connections === first.connections;
    const gateway = cells.filter((c) => c.target === 'gateway' && c.redaction === first.redaction && same(c));
    const peer = cells.filter((c) => c.target === 'peer' && same(c));
    const ratios = gateway.flatMap((g) => {
      const p = peer.find((c) => c.round === g.round);
      return p ? [round(g.reqPerS / p.reqPerS, 2)] : [];
    });
    if (ratios.length === 0) continue;
    rows.push({
      size: first.size,
      connections: first.connections,
      redaction: first.redaction as 'on' | 'off',
      gatewayReqPerS: median(gateway.map((c) => c.reqPerS)),
      peerReqPerS: median(peer.map((c) => c.reqPerS)),
      ratio: median(ratios),
      rounds: ratios,
    });
  }
  return rows;
}

function renderTables(r: {
  cells: Cell[];
  overhead: Overhead[];
  peerRatio: ReturnType<typeof peerRatios>;
  signIn: {
    upstreamPasswordGrant: SignInLoad;
    gatewayFormPost: SignInLoad;
    saturatedRounds: Array<SignInRound<LoadResult>>;
    pacedRounds: Array<SignInRound<ProbeResult>>;
    registerStatusesAfterFirst: number[];
  };
  memory: unknown;
  pii: { input: string; tables: PrintedTable[] };
}): string {
  const out: string[] = [];
  out.push('\n## tools/call search_records (autocannon; latency in whole ms as autocannon reports it)\n');
  out.push('| target | result | redaction | conn | round | req/s | p50 ms | p99 ms | gateway CPU ms/call | upstream CPU ms/call | peer CPU ms/call | ok | load 1m |');
  out.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const c of r.cells) {
    const cpu = (name: string) => (c.cpuMsPerReq[name] === undefined || Number.isNaN(c.cpuMsPerReq[name]) ? '' : c.cpuMsPerReq[name]!.toFixed(2));
    out.push(`| ${c.target} | ${c.size} | ${c.redaction} | ${c.connections} | ${c.round} | ${c.reqPerS} | ${c.p50Ms} | ${c.p99Ms} | ${cpu('gateway')} | ${cpu('upstream')} | ${cpu('peer')} | ${c.ok ? 'yes' : 'NO'} | ${c.loadAvg1m} |`);
  }
  out.push('\n## Gateway overhead per call (precise probe, p50; target: < 1 ms at 10 connections)\n');
  out.push('| result | redaction | conn | load | gateway p50 ms | upstream p50 ms | overhead p50 ms | floor overhead p50 ms | relay overhead p50 ms | gateway req/s | upstream req/s |');
  out.push('|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  const withRounds = (value: number, rounds?: number[]) => `${value}${rounds && rounds.length > 1 ? ` (${rounds.join(', ')})` : ''}`;
  for (const o of r.overhead) {
    out.push(`| ${o.size} | ${o.redaction} | ${o.connections} | ${o.load} | ${o.gateway.p50Ms} | ${o.upstream.p50Ms} | **${withRounds(o.overheadP50Ms, o.rounds)}** | ${o.floor ? withRounds(o.floor.overheadP50Ms, o.floor.rounds) : ''} | ${o.relay ? withRounds(o.relay.overheadP50Ms, o.relay.rounds) : ''} | ${o.gateway.reqPerS} | ${o.upstream.reqPerS} |`);
  }
  if (r.overhead.some((o) => o.rounds)) out.push(`\nPaced rows: the median of ${PACED_ROUNDS} interleaved rounds (upstream, the floor, the relay, then Gatehouse off and on, each round), each round's overhead in parentheses; the p50 and req/s columns are that median round's. The floor is bench/floor-server.ts, a bare forwarder doing only the hop and the JSON, probed the same way: Gatehouse's overhead minus the floor's is what its own features cost. The relay is bench/relay-server.ts, relaying the upstream's own request as bytes, nothing parsed: the hop alone, one more process and two more loopback legs; the floor's overhead minus the relay's is what HTTP and JSON in a Node process cost here.`);
  if (r.overhead.some((o) => o.awake)) {
    out.push(`\n"CPUs kept awake" rows: the paced rounds (${PACED_ROUNDS}) again while a SCHED_IDLE process spins on every CPU (bench/lib/awake.ts), so no vCPU is idle when a call arrives. A diagnostic, not the verdict: the difference from the plain paced rows is what waking idle vCPUs costs this machine (a guest without a cpuidle driver halts them, and each wake-up goes through the host).`);
  }
  out.push('\n## Gateway vs bare MCP SDK v2 server (req/s ratio, same upstream call)\n');
  out.push('| result | conn | redaction | gateway req/s | peer req/s | ratio |');
  out.push('|---|---:|---|---:|---:|---:|');
  for (const p of r.peerRatio) out.push(`| ${p.size} | ${p.connections} | ${p.redaction} | ${p.gatewayReqPerS} | ${p.peerReqPerS} | **${withRounds(p.ratio, p.rounds)}** |`);
  if (LOAD_ROUNDS > 1) out.push(`\nMedians of ${LOAD_ROUNDS} interleaved rounds (upstream, peer, Gatehouse off, on, each round); the ratio is the median of each round's ratio, every round's in parentheses.`);
  const s = r.signIn;
  out.push('\n## Sign-in\n');
  out.push('| measurement | per s | p50 ms | p99 ms | gateway event-loop delay p99 / max ms | CPU ms per sign-in (gateway / upstream) | statuses |');
  out.push('|---|---:|---:|---:|---|---|---|');
  const cpu = (l: SignInLoad) => `${l.cpuMsPerSignIn.gateway ?? '–'} / ${l.cpuMsPerSignIn.upstream ?? '–'}`;
  out.push(`| upstream password grant alone (argon2id default), ${SIGNIN_CONCURRENCY} concurrent | ${s.upstreamPasswordGrant.perS} | ${s.upstreamPasswordGrant.p50Ms} | ${s.upstreamPasswordGrant.p99Ms} | | ${cpu(s.upstreamPasswordGrant)} | ${JSON.stringify(s.upstreamPasswordGrant.statuses)} |`);
  out.push(`| Gatehouse sign-in (GET /authorize + form post → 303), ${SIGNIN_CONCURRENCY} concurrent | ${s.gatewayFormPost.perS} | ${s.gatewayFormPost.p50Ms} | ${s.gatewayFormPost.p99Ms} | | ${cpu(s.gatewayFormPost)} | ${JSON.stringify(s.gatewayFormPost.statuses)} |`);
  // Median over the rounds, and every round's p99 so the spread shows.
  const mcpRow = (what: string, results: Latencies[], eventLoop: Array<EventLoopDelay | undefined>) => {
    const p99s = results.map((x) => x.p99Ms);
    const elds = eventLoop.filter((e): e is EventLoopDelay => e !== undefined);
    const eldCell = elds.length === 0 ? '' : `${median(elds.map((e) => e.p99Ms))} / ${Math.max(...elds.map((e) => e.maxMs))}`;
    out.push(`| /mcp 10KB redacted, 10 conn, ${what} | ${median(results.map((x) => x.reqPerS))} | ${median(results.map((x) => x.p50Ms))} | **${median(p99s)}**${p99s.length > 1 ? ` (${p99s.join(', ')})` : ''} | ${eldCell} | | |`);
  };
  const signInRow = (what: string, loads: SignInLoad[]) =>
    out.push(`| … ${what} | ${median(loads.map((l) => l.perS))} | ${median(loads.map((l) => l.p50Ms))} | ${median(loads.map((l) => l.p99Ms))} | | | ${loads.map((l) => JSON.stringify(l.statuses)).join(' ')} |`);
  const roundRows = (load: string, rounds: Array<SignInRound<Latencies>>) => {
    mcpRow(`${load}, alone`, rounds.map((x) => x.alone), rounds.map((x) => x.aloneEventLoopDelay));
    for (let i = 0; i < (rounds[0]?.withSignIns.length ?? 0); i++) {
      mcpRow(`${load}, with ${rounds[0]!.withSignIns[i]!.concurrency} sign-in loop(s)`, rounds.map((x) => x.withSignIns[i]!.mcp), rounds.map((x) => x.withSignIns[i]!.eventLoopDelay));
      signInRow('the sign-ins meanwhile', rounds.map((x) => x.withSignIns[i]!.signIns));
    }
    mcpRow(`${load}, while the upstream alone checks passwords, 1 at a time (control)`, rounds.map((x) => x.withHashing), rounds.map((x) => x.withHashingEventLoopDelay));
    signInRow("the upstream's password grants meanwhile", rounds.map((x) => x.hashing));
  };
  roundRows('saturated', s.saturatedRounds);
  roundRows(`paced ${PACED_RATE['10KB']}/s`, s.pacedRounds);
  const overControl = (rounds: Array<SignInRound<Latencies>>) => {
    const differences = rounds.map((x) => round(x.withSignIns.at(-1)!.mcp.p99Ms - x.withHashing.p99Ms, 2));
    return `${median(differences)} ms (rounds ${differences.join(', ')})`;
  };
  if (s.pacedRounds.length > 1) {
    out.push(`\n/mcp rows: medians of ${s.pacedRounds.length} interleaved rounds (alone, 1 and ${SIGNIN_CONCURRENCY} sign-in loops, the control; saturated then paced, each round); p99 of each round in parentheses; the event-loop delay is the median p99 and the largest max.`);
  }
  out.push(`\np99 with ${SIGNIN_CONCURRENCY} sign-in loops minus the control's, round by round: saturated ${overControl(s.saturatedRounds)}; paced ${overControl(s.pacedRounds)}.`);
  out.push(`\n/register after the first registration, 6 more from the same address: ${s.registerStatusesAfterFirst.join(' ')}`);
  if (r.memory) {
    const m = r.memory as Record<string, number>;
    out.push(`\n## Memory with ${m.sessions} active sessions (heapUsed after GC; target: < 200 MB)\n`);
    out.push('| what | MB | bytes per session |\n|---|---:|---:|');
    out.push(`| sessions (session service + memory store + indexes + last-use) | ${m.sessionsMB} | ${m.bytesPerSession} |`);
    out.push(`| + an empty PII vault each (vault registry) | ${m.emptyVaultsMB} | ${m.bytesPerEmptyVault} |`);
    out.push(`| total | ${m.totalMB} | ${m.bytesPerSessionWithVault} |`);
    out.push(`| a vault after redacting one 18-member page (sample of ${m.usedVaultSample}) | | ${m.bytesPerUsedVault} |`);
  }
  out.push(`\n## PII filter (bench/pii-filter.bench.ts; ${r.pii.input})\n`);
  for (const [i, table] of r.pii.tables.entries()) {
    if (i > 0) out.push(`\n${table.title}\n`);
    out.push(`| ${table.columns.join(' | ')} |`);
    out.push(`|${table.columns.map((_, c) => (c === 0 ? '---' : '---:')).join('|')}|`);
    for (const row of table.rows) out.push(`| ${row.join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

onMeasuredNode(argv)
  .then(main)
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
