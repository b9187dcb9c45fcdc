/**
 * Parsing the demo's 1 MB page of members from its bytes: decoded into one string and parsed whole
 * (as decodeJson did before item 21), against parseJsonBytes (array members in slices), ASCII and
 * with non-ASCII names; median ms and minor page faults a parse (bench/HISTORY.md, item 21).
 *
 *   npx tsx bench/parse-json.ts [--runs=200]
 */
import { isAscii } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import { parseJsonBytes } from '../src/upstream/parse-json-bytes.js';
import { demoMembersPage } from './lib/demo-page.js';

const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.split('=')[1] ?? 200);
const text = demoMembersPage();
const utf8 = new TextDecoder();
const whole = (bytes: Buffer) => JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : utf8.decode(bytes)) as unknown;

for (const [name, bytes] of [
  ['ASCII', Buffer.from(text)],
  ['UTF-8', Buffer.from(text.replace(/"firstName":"(.)/g, '"firstName":"Ö$1'))],
] as const) {
  if (!isDeepStrictEqual(parseJsonBytes(bytes), whole(bytes))) throw new Error(`${name}: parseJsonBytes differs from JSON.parse`);
  for (const [how, parse] of [
    ['one string', whole],
    ['parseJsonBytes', parseJsonBytes],
  ] as const) {
    const times: number[] = [];
    const faults = process.resourceUsage().minorPageFault;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      parse(bytes);
      times.push(performance.now() - start);
    }
    const perParse = (process.resourceUsage().minorPageFault - faults) / runs;
    times.sort((a, b) => a - b);
    console.log(`${name} ${(bytes.byteLength / 1e6).toFixed(2)} MB, ${how}: median ${times[runs >> 1]!.toFixed(2)} ms, p10 ${times[Math.floor(runs / 10)]!.toFixed(2)}, ${perParse.toFixed(0)} faults a parse`);
  }
}
