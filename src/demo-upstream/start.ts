/**
 * Builds the demo upstream's state (data, accounts, tokens) and serves it on loopback.
 * Loopback by default because its accounts share one well-known password.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createAccountDirectory, DEFAULT_ARGON2_PARAMS, DEFAULT_DEMO_PASSWORD, type Argon2Params } from './accounts.js';
import { createDemoUpstreamApp } from './app.js';
import type { DemoContext } from './context.js';
import { createDataStore } from './data-store.js';
import { lowPriorityHasher } from './password-hasher.js';
import { DEFAULT_SEED, generateDataset } from './generate.js';
import { createTokenStore } from './tokens.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;

export interface DemoUpstreamOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Password of every demo account; defaults to `demo-password`. */
  password?: string;
  seed?: number;
  tokenTtlSeconds?: number;
  argon2?: Argon2Params;
  /**
   * Check passwords in a child process at the lowest CPU priority (see password-hasher.ts), for a
   * demo upstream sharing its box with the gateway. Default false: in-process.
   */
  lowPriorityHashing?: boolean;
  /** Clock in epoch ms, for tests of expiry. */
  now?: () => number;
}

export interface DemoUpstreamStats {
  /** Time to generate the data set, in ms. */
  generationMs: number;
  /** Time to hash the account passwords, in ms. */
  hashingMs: number;
}

export async function createDemoUpstreamContext(options: DemoUpstreamOptions = {}): Promise<{ ctx: DemoContext; stats: DemoUpstreamStats }> {
  const now = options.now ?? Date.now;
  const generationStart = performance.now();
  const store = createDataStore(generateDataset(options.seed ?? DEFAULT_SEED));
  const generationMs = performance.now() - generationStart;
  const hashingStart = performance.now();
  const hasher = options.lowPriorityHashing === true ? lowPriorityHasher() : undefined;
  const accounts = await createAccountDirectory(options.password ?? DEFAULT_DEMO_PASSWORD, options.argon2 ?? DEFAULT_ARGON2_PARAMS, hasher);
  const hashingMs = performance.now() - hashingStart;
  const tokens = createTokenStore(options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, now);
  return { ctx: { store, accounts, tokens, now }, stats: { generationMs, hashingMs } };
}

export interface RunningDemoUpstream {
  url: string;
  port: number;
  app: Express;
  stats: DemoUpstreamStats;
  close(): Promise<void>;
}

export async function startDemoUpstream(options: DemoUpstreamOptions = {}): Promise<RunningDemoUpstream> {
  const host = options.host ?? '127.0.0.1';
  const { ctx, stats } = await createDemoUpstreamContext(options);
  const app = createDemoUpstreamApp(ctx);
  const server = app.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    stats,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of a client pool would otherwise hold the server open.
        server.closeAllConnections();
      });
      await ctx.accounts.close();
    },
  };
}
