/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`): self time by function and by
 * package/file, to find where a server spends its CPU. Usage: tsx bench/top-functions.ts FILE [N]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
const top = Number(process.argv[3] ?? 25);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '').replace(/\?.*$/, '') || '(native)';
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = shortUrl(url);
  const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const group = file.startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.includes('/') && !file.startsWith('src/') && !file.startsWith('bench/') ? file.split('/')[0]! : file;
  byFile.set(group, (byFile.get(group) ?? 0) + us);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
};
// Inclusive ("total") time: each function on a sample's stack counts once per sample.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const keyOf = (node: Node) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const inclusive = new Map<string, number>();
let busy = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const leaf = byId.get(id)!;
  if (leaf.callFrame.functionName === '(idle)') return;
  busy += us;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = keyOf(byId.get(at)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
});
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms, busy (not idle): ${(busy / 1000).toFixed(0)} ms`);
print('self time by function', byFunction);
print('self time by file / package', byFile);
const filter = process.argv[4];
console.log(`\ninclusive time (share of busy time)${filter ? ` matching /${filter}/` : ''}`);
for (const [key, us] of [...inclusive].filter(([key]) => !filter || new RegExp(filter).test(key)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}
