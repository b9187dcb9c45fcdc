/**
 * Preloaded into the measured server process (`--import ./bench/lib/eld-hook.ts`): tracks the
 * event-loop delay and, on SIGUSR2, writes {p50, p99, max} in ms to BENCH_ELD_FILE and resets, so the
 * harness can tell a blocked event loop from CPU shared with other processes. Touches nothing else.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_ELD_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    writeFileSync(file, JSON.stringify({ p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), at: Date.now() }));
    histogram.reset();
  });
}
