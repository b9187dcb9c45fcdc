/**
 * A precise latency probe: a closed loop of `connections` workers over an undici Pool, timing each
 * request with hrtime (autocannon's percentiles are whole milliseconds, too coarse for a
 * sub-millisecond overhead). Used for the gateway-overhead cells only, the same way on both sides.
 */
import { Pool } from 'undici';

export interface ProbeResult {
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  failures: number;
}

export async function probe(url: string, headers: Record<string, string>, body: string, connections: number, durationS: number): Promise<ProbeResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const samples: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const response = await pool.request({ method: 'POST', path: target.pathname, headers, body });
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) failures++;
        else samples.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  const mean = samples.reduce((sum, x) => sum + x, 0) / Math.max(1, samples.length);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { reqPerS: Math.round((samples.length / elapsed) * 10) / 10, p50Ms: r3(at(0.5)), p99Ms: r3(at(0.99)), meanMs: r3(mean), requests: samples.length, failures };
}
