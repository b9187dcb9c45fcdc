/**
 * What reading a redacted 1 MB page's answer costs a client, as UTF-8 (`JSON.stringify`'s output)
 * and as ASCII (what result workers write, answer-bytes.ts): the same JSON-RPC response, served from
 * memory to autocannon at one connection (which decodes every body it reads into a string), and
 * decoded and parsed in this thread as a JavaScript client does (TextDecoder, JSON.parse).
 *
 *   npx tsx bench/read-cost.ts [--rounds=3] [--duration=4]
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { answerBytes } from '../src/mcp/answer-bytes.js';
import { searchResultValue, structuredOf } from '../src/mcp/present.js';
import { createVault } from '../src/pii/index.js';
import { SpareBuffers } from '../src/spare-buffers.js';
import { parseSearchPage } from '../src/upstream/schemas.js';
import { demoMembersPage, demoMembersPolicy } from './lib/demo-page.js';
import { option } from './lib/options.js';

const rounds = Number(option('rounds', '3'));
const duration = Number(option('duration', '4'));

const page = searchResultValue('members', parseSearchPage(Buffer.from(demoMembersPage())) as unknown as Record<string, unknown>);
const structured = structuredOf(page, createVault(randomBytes(32)), demoMembersPolicy());
const envelope = (text: Buffer, json: Buffer) =>
  Buffer.concat([Buffer.from('{"result":{"content":[{"type":"text","text":'), text, Buffer.from('}],"structuredContent":'), json, Buffer.from('},"jsonrpc":"2.0","id":1}')]);
const json = JSON.stringify(structured);
const answer = answerBytes(structured, new SpareBuffers(0));
const bodies: Record<string, Buffer> = {
  utf8: envelope(Buffer.from(JSON.stringify(json)), Buffer.from(json)),
  ascii: envelope(Buffer.from(answer.buffer, answer.structuredBytes, answer.length - answer.structuredBytes), Buffer.from(answer.buffer, 0, answer.structuredBytes)),
};
const parsed = Object.values(bodies).map((body) => JSON.stringify(JSON.parse(body.toString())));
if (parsed[0] !== parsed[1]) throw new Error('the two bodies do not hold the same response');

const server = createServer((req, res) => {
  const body = bodies[req.url!.slice(1)]!;
  req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength }).end(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const decoder = new TextDecoder();
const rows: Record<string, { served: number[]; decoded: number[] }> = { utf8: { served: [], decoded: [] }, ascii: { served: [], decoded: [] } };
for (let round = 1; round <= rounds; round++) {
  for (const [name, body] of Object.entries(bodies)) {
    const result = await autocannon({ url: `http://127.0.0.1:${port}/${name}`, method: 'POST', body: '{}', connections: 1, duration });
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const start = performance.now();
      JSON.parse(decoder.decode(body));
      times.push(performance.now() - start);
    }
    rows[name]!.served.push(1000 / result.requests.average);
    rows[name]!.decoded.push(median(times));
    console.log(`round ${round} ${name}: autocannon ${result.requests.average} req/s, TextDecoder + JSON.parse ${median(times).toFixed(2)} ms`);
  }
}
server.close();

console.log(`\nthe same response, ${rounds} rounds (medians)`);
console.log('| encoding | bytes | bytes outside ASCII | autocannon ms a response (1 connection) | TextDecoder + JSON.parse ms |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, body] of Object.entries(bodies)) {
  const nonAscii = body.reduce((count, byte) => count + (byte >= 0x80 ? 1 : 0), 0);
  console.log(`| ${name} | ${body.byteLength} | ${nonAscii} | ${median(rows[name]!.served).toFixed(2)} | ${median(rows[name]!.decoded).toFixed(2)} |`);
}
