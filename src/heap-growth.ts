/**
 * How far the old generation may grow past what the last full collection kept before V8 starts the
 * next one. V8 picks the factor from how fast it marks against how fast the program allocates. With
 * its choice, the event loop's ≈ 33 MB under 50 connections of 1 MB searches (≈ 2–3 MB promoted
 * every 0.3–0.8 s) was marked 10–24 times in 8 s (17–24 in most cells), largely on V8's four helper
 * threads: ≈ 1.2 ms of CPU a call on each, taken from the result workers on a two-core box. With
 * 100 %, 3–4 times, or 10–12 once the live size is 1–2 MB larger: V8 also starts marking when the
 * room under its limit is less than the young generation (48 MB here), and 100 % sits at that edge
 * (bench/HISTORY.md, "Full collections under load" and "A cheaper hop"). The price is memory: up to
 * the live old generation once more before it is collected, within V8's heap limit.
 *
 * The flag is process-wide, so result workers get it too; it is read each time V8 sets a new limit,
 * so setting it once the process runs is enough. 0 leaves V8's own factor. Node 20, 22 and 24's V8
 * all have the flag; one that did not would print "unrecognized flag" and go on with its own factor.
 */
import { setFlagsFromString } from 'node:v8';

export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
