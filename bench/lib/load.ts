/**
 * One load cell: autocannon against a URL for a bounded duration, with the CPU time each server
 * process spent during the cell, and a check that the answers were the expected ones (all 2xx, and
 * the same size as a verified sample, so a run of isError results cannot pass for success).
 */
import autocannon from 'autocannon';
import type { Child } from './processes.js';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS: number;
  /** Bytes of one verified response; responses are checked to average this size (±5 %). */
  expectedBytes: number;
}

export interface LoadResult {
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
  /** CPU ms per request of each watched process. */
  cpuMsPerReq: Record<string, number>;
  ok: boolean;
}

export async function runLoad(spec: LoadSpec, watch: Child[]): Promise<LoadResult> {
  const before = watch.map((child) => child.cpuMs());
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    pipelining: 1,
    duration: spec.durationS,
    timeout: 30,
  });
  const requests = result.requests.total;
  const cpuMsPerReq: Record<string, number> = {};
  watch.forEach((child, index) => {
    cpuMsPerReq[child.name] = round((child.cpuMs() - before[index]!) / Math.max(1, requests), 3);
  });
  const bytesPerResponse = result.throughput.total / Math.max(1, requests);
  // Response headers differ a little (request ids, dates); the body dominates.
  const sizeOk = Math.abs(bytesPerResponse - spec.expectedBytes) <= Math.max(400, spec.expectedBytes * 0.05);
  return {
    reqPerS: round(requests / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerResponse: Math.round(bytesPerResponse),
    cpuMsPerReq,
    ok: result.non2xx === 0 && result.errors === 0 && result.timeouts === 0 && requests > 0 && sizeOk,
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
