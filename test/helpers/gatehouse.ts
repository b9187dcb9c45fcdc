/**
 * Starts the real thing for integration tests: the demo upstream on a loopback port, and Gatehouse
 * through createApp on another, both listening. Logs are captured so tests can assert what is
 * (not) in them.
 */
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type AppDeps, type Gatehouse } from '../../src/app.js';
import { createHttpServer } from '../../src/http/server.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { createLogger } from '../../src/log.js';
import { createHttpUpstream } from '../../src/upstream/index.js';

export const DEMO_PASSWORD = 'demo-password';
/** Fast argon2 parameters: the tests check behaviour, not hashing cost. */
export const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface RunningGatehouse {
  url: string;
  resourceUrl: string;
  upstreamUrl: string;
  config: Config;
  gatehouse: Gatehouse;
  logs: string[];
  close(): Promise<void>;
}

/** With `env.UPSTREAM_URL` it uses that upstream (a proxy, another instance's); otherwise it starts a demo upstream of its own. */
export async function startGatehouse(options: { env?: Record<string, string>; deps?: Partial<AppDeps> } = {}): Promise<RunningGatehouse> {
  const given = options.env?.UPSTREAM_URL;
  const demo = given === undefined ? await startDemoUpstream({ port: 0, password: DEMO_PASSWORD, argon2: FAST_ARGON2 }) : undefined;
  const upstreamUrl = given ?? demo!.url;
  const ownDataDir = options.env?.DATA_DIR === undefined;
  const dataDir = options.env?.DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'gatehouse-test-')));
  const server: Server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;

  const config = loadConfig({ PUBLIC_URL: url, UPSTREAM_URL: upstreamUrl, LOG_LEVEL: 'info', RATE_LIMIT_REGISTER: '1000', ...options.env, DATA_DIR: dataDir });
  const logs: string[] = [];
  const log = createLogger({
    level: config.logLevel,
    destination: new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    }),
  });
  const upstream = createHttpUpstream({ baseUrl: config.upstreamUrl!, timeoutMs: config.upstreamTimeoutMs });
  const gatehouse = await createApp({ config, log, upstream, ...options.deps });
  server.on('request', gatehouse.requestListener);

  return {
    url,
    resourceUrl: config.resourceUrl,
    upstreamUrl,
    config,
    gatehouse,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gatehouse.close();
      await upstream.close();
      await demo?.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
