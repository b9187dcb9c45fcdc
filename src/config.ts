/**
 * Every setting of Gatehouse: read from the environment once, validated, frozen and handed down.
 * The only module that reads process.env. Failures are collected and reported together.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { isLoopbackHost } from './loopback.js';
import { Secret } from './secret.js';

export interface Branding {
  productName: string;
  logoUrl: string | undefined;
  /** A CSS hex colour. */
  accentColor: string;
  supportUrl: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  /** Issuer and resource base, without a trailing slash. */
  publicUrl: string;
  issuer: string;
  /** The protected resource: the /mcp URL, used as token audience. */
  resourceUrl: string;
  /** Undefined → the embedded demo upstream is started. */
  upstreamUrl: string | undefined;
  upstreamTimeoutMs: number;
  dataDir: string;
  signingKey: Secret | undefined;
  /** Published in the JWKS and accepted, never used to sign: SIGNING_KEY_NEXT and SIGNING_KEY_PREVIOUS. */
  additionalSigningKeys: Secret[];
  demoUpstreamPort: number;
  demoPassword: Secret;
  sessionTtlMs: number;
  accessTokenTtlMs: number;
  /** Refresh tokens are issued only when access tokens are shorter than the session. */
  refreshTokens: boolean;
  refreshGraceMs: number;
  allowedOrigins: string[];
  trustProxy: boolean | number | string;
  signinRoles: string[];
  /** Password checks in flight at the upstream at once; more sign-ins wait in line. */
  signInConcurrency: number;
  /** Threads that present large search pages off the event loop (0: none); see docs/decisions/005. */
  resultWorkers: number;
  /** Upstream search bodies from this many bytes go to a result worker. */
  resultWorkerMinBytes: number;
  /** A search body from this many bytes, alone in the pool, is split across two idle result workers. */
  resultWorkerSplitBytes: number;
  /** Values all PII vaults of this process hold together; beyond it the least recently used vaults are dropped. */
  piiVaultEntries: number;
  /** Whether a session that keeps personal data redacted may search free text (`q`), which the upstream matches against personal data too. */
  redactedFreeTextSearch: boolean;
  /** How far V8 lets the old generation grow past what the last full collection kept before it starts another, in percent (0: V8 decides); see src/heap-growth.ts. */
  heapGrowingPercent: number;
  /** Requests per minute per client address (register, token, authorize, revoke); failed sign-ins per 15 minutes per account and per address. */
  rateLimits: { register: number; token: number; authorize: number; revoke: number; signInAccount: number; signInAddress: number };
  /** Undefined → the in-process memory store. */
  redisUrl: Secret | undefined;
  redisPrefix: string;
  /** AES-256-GCM key(s) for upstream tokens at rest in a shared store; the first encrypts, all decrypt. */
  tokenEncryptionKeys: Secret<Buffer>[];
  /** Enables the operator endpoints under /admin when set. */
  adminToken: Secret | undefined;
  branding: Branding;
  /** Development only: client metadata documents over http and from private or loopback addresses. */
  dangerouslyAllowPrivateClientMetadata: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 8h, 15m or 30s (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);

const list = z
  .string()
  .default('')
  .transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean));

const absoluteUrl = z.string().refine((text) => URL.canParse(text), 'must be an absolute URL');

const EnvSchema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: absoluteUrl.optional(),
  UPSTREAM_URL: absoluteUrl.optional(),
  UPSTREAM_TIMEOUT: duration('UPSTREAM_TIMEOUT', '10s'),
  DATA_DIR: z.string().min(1).default('./data'),
  SIGNING_KEY: z.string().min(1).optional(),
  SIGNING_KEY_NEXT: z.string().min(1).optional(),
  SIGNING_KEY_PREVIOUS: z.string().min(1).optional(),
  DEMO_UPSTREAM_PORT: port(0),
  DEMO_PASSWORD: z.string().min(8, 'DEMO_PASSWORD must be at least 8 characters').default('demo-password'),
  SESSION_TTL: duration('SESSION_TTL', '8h'),
  ACCESS_TOKEN_TTL: z.string().optional(),
  REFRESH_GRACE: duration('REFRESH_GRACE', '30s'),
  ALLOWED_ORIGINS: list,
  TRUST_PROXY: z.string().default('false'),
  SIGNIN_ROLES: list.pipe(z.array(z.string()).min(0)),
  SIGNIN_CONCURRENCY: z.coerce.number().int().min(1).max(1000).optional(),
  RESULT_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  RESULT_WORKER_MIN_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(64 * 1024),
  RESULT_WORKER_SPLIT_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(128 * 1024),
  PII_VAULT_ENTRIES: z.coerce.number().int().min(1000).max(100_000_000).default(1_000_000),
  PII_FREE_TEXT_SEARCH: z.enum(['allow', 'refuse']).default('allow'),
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(100),
  RATE_LIMIT_REGISTER: z.coerce.number().int().min(1).max(100_000).default(5),
  RATE_LIMIT_TOKEN: z.coerce.number().int().min(1).max(100_000).default(60),
  RATE_LIMIT_AUTHORIZE: z.coerce.number().int().min(1).max(100_000).default(60),
  RATE_LIMIT_REVOKE: z.coerce.number().int().min(1).max(100_000).default(60),
  RATE_LIMIT_SIGNIN_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(5),
  RATE_LIMIT_SIGNIN_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  REDIS_URL: z
    .string()
    .refine((text) => URL.canParse(text) && ['redis:', 'rediss:'].includes(new URL(text).protocol), 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'may hold letters, digits and : . _ - (up to 64)').default('gatehouse:'),
  TOKEN_ENCRYPTION_KEY: list,
  ADMIN_TOKEN: z.string().min(32, 'ADMIN_TOKEN must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  BRAND_NAME: z.string().trim().min(1).max(60).default('Gatehouse'),
  BRAND_LOGO_URL: z.string().refine((text) => URL.canParse(text) && new URL(text).protocol === 'https:', 'must be an https URL').optional(),
  BRAND_ACCENT_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #1f5fbf').default('#1f5fbf'),
  BRAND_SUPPORT_URL: z.string().refine((text) => URL.canParse(text) && /^(https|mailto):$/.test(new URL(text).protocol), 'must be an https or mailto URL').optional(),
  DANGEROUSLY_ALLOW_PRIVATE_CLIENT_METADATA: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment (process.env by default) into a frozen Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      problems.push(issue.message.startsWith(key) ? issue.message : `${key}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const raw = parsed.data;

  const publicUrl = normalizePublicUrl(raw.PUBLIC_URL ?? `http://localhost:${raw.PORT || 3000}`, problems);

  let accessTokenTtlMs = raw.SESSION_TTL;
  if (raw.ACCESS_TOKEN_TTL !== undefined) {
    const ms = parseDuration(raw.ACCESS_TOKEN_TTL);
    if (ms === undefined || ms <= 0) problems.push(`ACCESS_TOKEN_TTL must be a duration such as 15m (got "${raw.ACCESS_TOKEN_TTL}")`);
    else if (ms > raw.SESSION_TTL) problems.push('ACCESS_TOKEN_TTL must not be longer than SESSION_TTL: a token never outlives its session');
    else accessTokenTtlMs = ms;
  }
  if (raw.REFRESH_GRACE > 5 * 60_000) problems.push('REFRESH_GRACE must be at most 5m: it is the window in which a used refresh token still works');

  if (raw.UPSTREAM_URL !== undefined) {
    const upstream = new URL(raw.UPSTREAM_URL);
    if (upstream.protocol !== 'https:' && !(upstream.protocol === 'http:' && isLoopbackHost(upstream.hostname))) {
      problems.push('UPSTREAM_URL must use https (plain http is accepted only for loopback hosts)');
    }
  }

  const allowedOrigins: string[] = [];
  for (const origin of raw.ALLOWED_ORIGINS) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, '')) {
      problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin such as https://claude.ai`);
    } else {
      allowedOrigins.push(new URL(origin).origin);
    }
  }

  const tokenEncryptionKeys: Secret<Buffer>[] = [];
  for (const [index, text] of raw.TOKEN_ENCRYPTION_KEY.entries()) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== 32) problems.push(`TOKEN_ENCRYPTION_KEY: key ${index + 1} must be 32 bytes in base64 (openssl rand -base64 32)`);
    else tokenEncryptionKeys.push(new Secret(bytes));
  }
  if ((raw.SIGNING_KEY_NEXT !== undefined || raw.SIGNING_KEY_PREVIOUS !== undefined) && raw.SIGNING_KEY === undefined) {
    problems.push('SIGNING_KEY_NEXT and SIGNING_KEY_PREVIOUS need SIGNING_KEY: rotation is for keys you manage');
  }
  if (raw.REDIS_URL !== undefined && tokenEncryptionKeys.length === 0) {
    problems.push('TOKEN_ENCRYPTION_KEY is required with REDIS_URL: upstream tokens are encrypted before they reach Redis');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    port: raw.PORT,
    host: raw.HOST,
    publicUrl,
    issuer: publicUrl,
    resourceUrl: `${publicUrl}/mcp`,
    upstreamUrl: raw.UPSTREAM_URL?.replace(/\/+$/, ''),
    upstreamTimeoutMs: raw.UPSTREAM_TIMEOUT,
    dataDir: path.resolve(raw.DATA_DIR),
    signingKey: raw.SIGNING_KEY === undefined ? undefined : new Secret(raw.SIGNING_KEY),
    additionalSigningKeys: [raw.SIGNING_KEY_NEXT, raw.SIGNING_KEY_PREVIOUS].filter((key) => key !== undefined).map((key) => new Secret(key)),
    demoUpstreamPort: raw.DEMO_UPSTREAM_PORT,
    demoPassword: new Secret(raw.DEMO_PASSWORD),
    sessionTtlMs: raw.SESSION_TTL,
    accessTokenTtlMs,
    refreshTokens: accessTokenTtlMs < raw.SESSION_TTL,
    refreshGraceMs: raw.REFRESH_GRACE,
    allowedOrigins: Object.freeze(allowedOrigins) as string[],
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    signinRoles: Object.freeze(raw.SIGNIN_ROLES.length > 0 ? raw.SIGNIN_ROLES : ['admin']) as string[],
    // One core is kept for tool calls: password hashing is built to take a core per check.
    signInConcurrency: raw.SIGNIN_CONCURRENCY ?? Math.max(1, availableParallelism() - 1),
    // Idle unless large results flow; each holds mirrors of the vaults it serves, hence the cap. On
    // one core a worker only adds a thread hop and a copy of each vault.
    resultWorkers: raw.RESULT_WORKERS ?? (availableParallelism() > 1 ? Math.min(4, availableParallelism()) : 0),
    resultWorkerMinBytes: raw.RESULT_WORKER_MIN_BYTES,
    resultWorkerSplitBytes: raw.RESULT_WORKER_SPLIT_BYTES,
    piiVaultEntries: raw.PII_VAULT_ENTRIES,
    redactedFreeTextSearch: raw.PII_FREE_TEXT_SEARCH === 'allow',
    heapGrowingPercent: raw.HEAP_GROWING_PERCENT,
    rateLimits: Object.freeze({
      register: raw.RATE_LIMIT_REGISTER,
      token: raw.RATE_LIMIT_TOKEN,
      authorize: raw.RATE_LIMIT_AUTHORIZE,
      revoke: raw.RATE_LIMIT_REVOKE,
      signInAccount: raw.RATE_LIMIT_SIGNIN_ACCOUNT,
      signInAddress: raw.RATE_LIMIT_SIGNIN_ADDRESS,
    }),
    redisUrl: raw.REDIS_URL === undefined ? undefined : new Secret(raw.REDIS_URL),
    redisPrefix: raw.REDIS_PREFIX,
    tokenEncryptionKeys,
    adminToken: raw.ADMIN_TOKEN === undefined ? undefined : new Secret(raw.ADMIN_TOKEN),
    branding: Object.freeze({
      productName: raw.BRAND_NAME,
      logoUrl: raw.BRAND_LOGO_URL,
      accentColor: raw.BRAND_ACCENT_COLOR,
      supportUrl: raw.BRAND_SUPPORT_URL,
    }),
    dangerouslyAllowPrivateClientMetadata: raw.DANGEROUSLY_ALLOW_PRIVATE_CLIENT_METADATA === 'true',
    logLevel: raw.LOG_LEVEL,
  });
}

function normalizePublicUrl(text: string, problems: string[]): string {
  const url = new URL(text);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    problems.push('PUBLIC_URL must use https (plain http is accepted only for localhost, 127.0.0.1 and [::1])');
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push('PUBLIC_URL must not contain a query, a fragment or credentials');
  }
  if (url.pathname !== '/') {
    problems.push('PUBLIC_URL must be an origin such as https://mcp.example.com (serving under a path prefix is not supported)');
  }
  return url.origin;
}

/** Express `trust proxy`: false, true, a hop count, or a list of addresses/subnets. */
function parseTrustProxy(text: string): boolean | number | string {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === '0' || value === '') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return text.trim();
}
