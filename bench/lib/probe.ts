/**
 * A precise latency probe over an undici Pool of `connections` sockets, timing each request with
 * performance.now() (autocannon's percentiles are whole milliseconds, too coarse for a
 * sub-millisecond overhead). Used for the gateway-overhead cells only, the same way on both sides.
 *
 * Closed loop by default: `connections` workers, each sending its next request when the last one
 * answered, so the server is saturated and latency is mostly queueing (≈ connections × CPU per
 * call). With `ratePerS`, open loop: requests are handed to the pool on a fixed schedule whatever
 * the answers (a slow answer does not hold back the next request); below capacity, the p50 is what
 * one call costs with that many connections open.
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

export async function probe(
  url: string,
  headers: Record<string, string>,
  body: string,
  connections: number,
  durationS: number,
  options: { ratePerS?: number } = {},
): Promise<ProbeResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const samples: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const once = async (t0: number) => {
    try {
      const response = await pool.request({ method: 'POST', path: target.pathname, headers, body });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) failures++;
      else samples.push(performance.now() - t0);
    } catch {
      failures++;
    }
  };
  if (options.ratePerS === undefined) {
    const worker = async () => {
      while (performance.now() < deadline) await once(performance.now());
    };
    await Promise.all(Array.from({ length: connections }, worker));
  } else {
    const interval = 1000 / options.ratePerS;
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; started + i * interval < deadline; i++) {
      const scheduled = started + i * interval;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Timed from when it is handed to the pool: a late timer is the prober's delay, not the server's;
      // waiting for a free socket still counts.
      inFlight.push(once(performance.now()));
    }
    await Promise.all(inFlight);
  }
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  const mean = samples.reduce((sum, x) => sum + x, 0) / Math.max(1, samples.length);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { reqPerS: Math.round((samples.length / elapsed) * 10) / 10, p50Ms: r3(at(0.5)), p99Ms: r3(at(0.99)), meanMs: r3(mean), requests: samples.length, failures };
}
