/**
 * The hop alone: a Node process that relays bytes between each client connection and a connection
 * of its own to the upstream, parsing nothing. Probed with the upstream's own request, its overhead
 * (its p50 − the upstream's) is what one more process and two more loopback legs cost on this box,
 * before any HTTP or JSON work. The floor (floor-server.ts) adds that work; Gatehouse adds its
 * features to the floor's. Not a proxy to copy: no limits, no timeouts.
 *
 * Env: PORT, UPSTREAM_URL.
 */
import { connect, createServer } from 'node:net';

const upstream = new URL(process.env.UPSTREAM_URL!);

const server = createServer((client) => {
  client.setNoDelay(true);
  const toUpstream = connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true });
  client.on('data', (chunk) => toUpstream.write(chunk));
  toUpstream.on('data', (chunk) => client.write(chunk));
  const close = () => {
    client.destroy();
    toUpstream.destroy();
  };
  for (const socket of [client, toUpstream]) socket.on('close', close).on('error', close);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`relay listening on ${process.env.PORT}\n`));
// Nothing to flush: the probe's kept-alive sockets would hold server.close() open.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
