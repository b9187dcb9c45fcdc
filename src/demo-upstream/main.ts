/**
 * Standalone entry of the demo upstream (`npm run demo-upstream`), so several gateway replicas
 * can share one. It imports nothing of the gateway, which is why it, and not config.ts, reads
 * DEMO_UPSTREAM_PORT and DEMO_PASSWORD.
 */
import { startDemoUpstream } from './start.js';

const port = Number(process.env.DEMO_UPSTREAM_PORT ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error('DEMO_UPSTREAM_PORT must be a port number between 0 and 65535.');
  process.exit(1);
}

const upstream = await startDemoUpstream({ port, password: process.env.DEMO_PASSWORD || undefined, lowPriorityHashing: true });
console.log(`demo upstream listening on ${upstream.url}`);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  upstream.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
