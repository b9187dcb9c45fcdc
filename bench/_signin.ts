import { registerClient } from '../test/helpers/oauth-flow.js';
import { probe } from './lib/probe.js';
import { authorizeOnce, mcpRequest, signIn, start } from './lib/setup.js';
const env = await start({ embedded: false });
try {
  const clientId = await registerClient(env.gatewayUrl, { client_name: 'x' });
  const token = await signIn(env.gatewayUrl, clientId, false);
  const spec = mcpRequest(env.gatewayUrl, 18, token);
  const paced = () => probe(spec.url, spec.headers, spec.body, 10, 5, { ratePerS: 200 });
  await paced();
  const loops = async (n: number, ms: number) => { const end = Date.now() + ms; let c = 0; await Promise.all(Array.from({ length: n }, async () => { while (Date.now() < end) { await authorizeOnce(env.gatewayUrl, clientId, false); c++; } })); return c; };
  const a = await paced(); console.log('alone', a.p50Ms, a.p99Ms);
  for (const n of [1, 4]) { const [r, c] = await Promise.all([paced(), loops(n, 5000)]); console.log(`with ${n}`, r.p50Ms, r.p99Ms, `${c / 5}/s`); }
} finally { for (const c of env.children.reverse()) await c.stop(); }
