/**
 * Process entry: configuration → upstream (the embedded demo unless UPSTREAM_URL is set) → app →
 * listen → graceful shutdown on SIGTERM/SIGINT (stop accepting, finish in-flight requests, exit).
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { startDemoUpstream } from './demo-upstream/index.js';
import { applyHeapGrowth } from './heap-growth.js';
import { createLogger } from './log.js';
import { createHttpServer } from './http/server.js';
import { createHttpUpstream } from './upstream/index.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  applyHeapGrowth(config.heapGrowingPercent);
  const log = createLogger({ level: config.logLevel });

  const demo = config.upstreamUrl === undefined ? await startDemoUpstream({ port: config.demoUpstreamPort, host: '127.0.0.1', password: config.demoPassword.reveal(), lowPriorityHashing: true }) : undefined;
  if (demo) log.info({ url: demo.url }, 'embedded demo upstream started (set UPSTREAM_URL to use a real one)');
  const upstream = createHttpUpstream({ baseUrl: config.upstreamUrl ?? demo!.url, timeoutMs: config.upstreamTimeoutMs });

  const gatehouse = await createApp({ config, log, upstream });
  const server = createHttpServer(gatehouse.requestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ host: config.host, port, publicUrl: config.publicUrl, mcp: config.resourceUrl }, 'gatehouse listening');
  process.stdout.write(`Gatehouse is serving MCP at ${config.resourceUrl} (listening on ${config.host}:${port})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.warn('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // close() waits for every connection to end; a keep-alive connection whose request finishes
    // during shutdown turns idle and would otherwise linger until keepAliveTimeout.
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearInterval(reaper);
    await gatehouse.close();
    await upstream.close();
    await demo?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Gatehouse failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
