/**
 * Sign-in load: `concurrency` loops of one sign-in after another for a bounded time, with the CPU
 * each watched server process spent per successful sign-in.
 *
 * Run as a script, it is the same loop in a process of its own, so that the clients' own work
 * (HTML, PKCE, cookies) does not stall the event loop of a latency probe measuring /mcp meanwhile:
 *   node --import tsx bench/lib/sign-in-loop.ts GATEWAY_URL CLIENT_ID CONCURRENCY DURATION_S
 *   node --import tsx bench/lib/sign-in-loop.ts UPSTREAM_URL --password-grant CONCURRENCY DURATION_S
 * prints "started", then one JSON line (SignInLoad). The second form checks passwords at the
 * upstream directly (its own password grant), without Gatehouse: the control for what password
 * hashing on the same box does to /mcp by itself.
 */
import { spawn } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hasChrt } from '../../test/helpers/chrt.js';
import { round } from './load.js';
import type { Child } from './processes.js';
import { authorizeOnce, upstreamToken } from './setup.js';

export interface SignInLoad {
  attempts: number;
  ok: number;
  statuses: Record<string, number>;
  perS: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU ms per successful sign-in of each watched process. */
  cpuMsPerSignIn: Record<string, number>;
}

export async function signInLoop(durationS: number, concurrency: number, once: () => Promise<number>, okStatus: number, watch: Child[]): Promise<SignInLoad> {
  const cpuBefore = watch.map((child) => child.cpuMs());
  const statuses: Record<string, number> = {};
  const times: number[] = [];
  const started = performance.now();
  const deadline = started + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        let status: number;
        try {
          status = await once();
        } catch {
          status = 0;
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === okStatus) times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const attempts = Object.values(statuses).reduce((a, b) => a + b, 0);
  const cpuMsPerSignIn: Record<string, number> = {};
  watch.forEach((child, index) => (cpuMsPerSignIn[child.name] = round((child.cpuMs() - cpuBefore[index]!) / Math.max(1, times.length), 1)));
  return {
    cpuMsPerSignIn,
    attempts,
    ok: times.length,
    statuses,
    perS: round(times.length / elapsed, 1),
    p50Ms: round(times[Math.floor(times.length * 0.5)] ?? Number.NaN, 1),
    p99Ms: round(times[Math.floor(times.length * 0.99)] ?? Number.NaN, 1),
  };
}


/**
 * The sign-in clients stand for browsers on other machines. On this box they would take CPU from the
 * servers under test, so their process runs at SCHED_IDLE (Linux, util-linux's chrt) or else nice 19:
 * it gets what the servers leave. Their sign-in latencies then include their own waiting under load.
 */
const HAS_CHRT = hasChrt();

/** The loop in its own process (clientId `--password-grant`: the upstream's grant); resolves once it runs, with `done` for its result. */
export async function startSignInLoop(url: string, clientId: string, concurrency: number, durationS: number): Promise<{ done: Promise<SignInLoad> }> {
  const nodeArgs = ['--import', 'tsx', fileURLToPath(import.meta.url), url, clientId, String(concurrency), String(durationS)];
  const [command, args] = HAS_CHRT ? ['chrt', ['--idle', '0', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const proc = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!HAS_CHRT) setPriority(proc.pid!, constants.priority.PRIORITY_LOW);
  let out = '';
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  proc.stdout.on('data', (chunk: Buffer) => {
    out += String(chunk);
    if (out.startsWith('started\n')) onStarted();
  });
  const done = new Promise<SignInLoad>((resolve, reject) => {
    proc.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SignInLoad);
      else reject(new Error(`sign-in loop exited with ${code}: ${out.slice(-500)}`));
    });
  });
  await Promise.race([started, done]);
  return { done };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, clientId, concurrency, durationS] = process.argv.slice(2);
  process.stdout.write('started\n');
  const load =
    clientId === '--password-grant'
      ? await signInLoop(Number(durationS), Number(concurrency), async () => (await upstreamToken(url!)).status, 200, [])
      : await signInLoop(Number(durationS), Number(concurrency), async () => (await authorizeOnce(url!, clientId!, false)).status, 303, []);
  process.stdout.write(`${JSON.stringify(load)}\n`);
}
