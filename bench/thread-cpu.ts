/**
 * Where a 1 MB call's CPU goes inside Gatehouse, thread by thread: CPU ms and minor page faults a
 * call of each of its threads (the event loop, V8's helper threads, the result workers) under an
 * autocannon load, from /proc/PID/task/TID/stat. A thread's CPU time counts only while it runs, so
 * unlike a wall-clock trace it shows what a change saves even when the box is saturated
 * (bench/HISTORY.md, items 21 and 22).
 *
 *   npx tsx bench/thread-cpu.ts [--connections=1] [--duration=8] [--rounds=2] [--size=1MB|10KB]
 *
 * Threads are listed by id; the event loop is the lowest, the result workers the highest (started last).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { registerClient } from '../test/helpers/oauth-flow.js';
import { round, runLoad } from './lib/load.js';
import type { Child } from './lib/processes.js';
import { mcpRequest, signIn, start, verify } from './lib/setup.js';
import { option } from './lib/options.js';

const argv = process.argv.slice(2);
const connections = Number(option('connections', '1'));
const durationS = Number(option('duration', '8'));
const rounds = Number(option('rounds', '2'));
const pageSize = option('size', '1MB') === '10KB' ? 18 : 1700;
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms and minor faults so far of each thread of `pid`. */
function threads(pid: number): Map<number, { cpuMs: number; faults: number }> {
  const seen = new Map<number, { cpuMs: number; faults: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seen.set(Number(tid), { cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, faults: Number(fields[7]) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return seen;
}

const env = await start({ embedded: false });
const children: Child[] = [...env.children];
try {
  const clientId = await registerClient(env.gatewayUrl, { client_name: 'gatehouse-thread-cpu' });
  const targets = [
    { name: 'redaction off', redaction: 'off' as const, spec: mcpRequest(env.gatewayUrl, pageSize, await signIn(env.gatewayUrl, clientId, true)) },
    { name: 'redaction on', redaction: 'on' as const, spec: mcpRequest(env.gatewayUrl, pageSize, await signIn(env.gatewayUrl, clientId, false)) },
  ];
  const gateway = children.find((child) => child.name === 'gateway')!;
  for (let r = 1; r <= rounds; r++) {
    for (const { name, redaction, spec } of targets) {
      const expectedBytes = await verify(spec, 'mcp', pageSize, redaction);
      await runLoad({ ...spec, connections, durationS: 2, expectedBytes }, []); // warm-up
      const before = threads(gateway.pid);
      const result = await runLoad({ ...spec, connections, durationS, expectedBytes }, []);
      const after = threads(gateway.pid);
      const rows = [...after]
        .map(([tid, now]) => {
          const then = before.get(tid) ?? { cpuMs: 0, faults: 0 };
          return { tid, cpuMs: round((now.cpuMs - then.cpuMs) / result.requests, 1), faults: Math.round((now.faults - then.faults) / result.requests) };
        })
        .filter((row) => row.cpuMs >= 0.1 || row.faults >= 1);
      const total = round(rows.reduce((sum, row) => sum + row.cpuMs, 0), 1);
      console.log(`round ${r}, ${name}: ${result.reqPerS} req/s${result.ok ? '' : ' NOT OK'}, ${total} ms CPU a call`);
      for (const row of rows) console.log(`  thread ${row.tid}: ${row.cpuMs} ms, ${row.faults} faults a call`);
    }
  }
} finally {
  for (const child of children.reverse()) await child.stop();
  await rm(env.dataDir, { recursive: true, force: true });
}
