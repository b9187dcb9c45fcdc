/**
 * createApp: builds every part of Gatehouse and the one route table. The only module that knows
 * all parts; the whole attack surface is the table at the bottom of this file.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import express from 'express';
import { createAdminHandlers } from './admin/index.js';
import type { Config } from './config.js';
import { publicCors } from './http/cors.js';
import { errorHandler } from './http/error-handler.js';
import { authenticatedByShortcut, createMcpShortcut, mcpBody, wasHandedOff } from './http/mcp-shortcut.js';
import { originCheck } from './http/origin-check.js';
import { rateLimitMiddleware, type RateLimit } from './http/rate-limit.js';
import { apiHeaders, htmlHeaders, noStore } from './http/security-headers.js';
import { bearerChallenge } from './sessions/index.js';
import { createSignInHandlers, loadTemplate, renderErrorPage, VIEWS_DIR } from './interaction/index.js';
import { requestContext, type Logger, type RequestContext } from './log.js';
import { createCatalogCache, createMcpEndpoint, createResultWorkers, createVaultRegistry, requiredScopeFor, type ResultWorkers } from './mcp/index.js';
import {
  createAuthorizationEndpoint,
  createClientMetadataDocuments,
  createFileClientRepository,
  isClientIdUrl,
  withClientMetadataDocuments,
  createRefreshTokens,
  createStoreClientRepository,
  createOAuthHandlers,
  createRevocationEndpoint,
  createTokenEndpoint,
  DEFAULT_SCOPE,
  protectedResourceMetadataUrl,
  WRITE_SCOPE,
  type ClientRepository,
} from './oauth/index.js';
import {
  createAccessTokens,
  createBearerAuthenticator,
  createBearerGuard,
  createSessionService,
  createTokenCipher,
  loadSigningKeys,
  type AuthenticatedLocals,
  type SigningKeys,
} from './sessions/index.js';
import { createMemoryStore, createRedisStore, type Store } from './store/index.js';
import { gateSignIns, revokeInBackground, type Upstream } from './upstream/index.js';
import { VERSION } from './version.js';

export interface AppDeps {
  config: Config;
  log: Logger;
  upstream: Upstream;
  store?: Store;
  clients?: ClientRepository;
  keys?: SigningKeys;
  now?: () => number;
  /** Answer plain tools/call requests without the SDK's per-request server (default; docs/decisions/003). Off only to compare the two paths. */
  fastToolCalls?: boolean;
  /** Result workers to use instead of the config's (the caller closes them). */
  resultWorkers?: ResultWorkers;
}

export interface Gatehouse {
  /** The HTTP server's request listener: plain tool calls take the /mcp shortcut, everything else Express. */
  requestListener: RequestListener;
  store: Store;
  close(): Promise<void>;
}

/** 1 MiB: what `limit: '1mb'` meant to body-parser. */
const MCP_BODY_LIMIT_BYTES = 1024 * 1024;

export async function createApp(deps: AppDeps): Promise<Gatehouse> {
  const { config, log, upstream } = deps;
  const now = deps.now ?? Date.now;
  const store = deps.store ?? (config.redisUrl ? createRedisStore({ url: config.redisUrl.reveal(), prefix: config.redisPrefix }) : createMemoryStore({ now }));
  const shared = config.redisUrl !== undefined;
  // Registrations live where every replica can read them: Redis when shared, DATA_DIR otherwise.
  const registered = deps.clients ?? (shared ? createStoreClientRepository(store) : createFileClientRepository(path.join(config.dataDir, 'clients')));
  if (config.dangerouslyAllowPrivateClientMetadata) log.warn('DANGEROUSLY_ALLOW_PRIVATE_CLIENT_METADATA is on: client metadata documents may come from private addresses over http');
  const clients = withClientMetadataDocuments(
    registered,
    createClientMetadataDocuments({ log, dangerouslyAllowPrivateNetworks: config.dangerouslyAllowPrivateClientMetadata, now }),
    isClientIdUrl,
  );
  const cipher = config.tokenEncryptionKeys.length > 0 ? createTokenCipher(config.tokenEncryptionKeys) : undefined;
  const keys = deps.keys ?? (await loadSigningKeys({ signingKey: config.signingKey, additional: config.additionalSigningKeys, dataDir: config.dataDir, log }));
  const perMinute = (name: 'register' | 'token' | 'authorize' | 'revoke'): RateLimit => ({ name, limit: config.rateLimits[name], windowMs: 60_000 });
  const limits = { register: perMinute('register'), token: perMinute('token'), authorize: perMinute('authorize'), revoke: perMinute('revoke') };
  const failedSignInLimits = {
    perAccount: { name: 'signin-account', limit: config.rateLimits.signInAccount, windowMs: 15 * 60_000 },
    perAddress: { name: 'signin-address', limit: config.rateLimits.signInAddress, windowMs: 15 * 60_000 },
  };
  const urls = { issuer: config.issuer, resourceUrl: config.resourceUrl };
  const resourceMetadataUrl = protectedResourceMetadataUrl(urls);

  const sessions = createSessionService({ store, sessionTtlMs: config.sessionTtlMs, log, now, cipher });
  const tokens = createAccessTokens({ keys, issuer: config.issuer, audience: config.resourceUrl, ttlMs: config.accessTokenTtlMs, now });
  const authorize = createAuthorizationEndpoint({ store, clients, ...urls, now });
  const refresh = config.refreshTokens ? createRefreshTokens({ store, tokens, sessions, graceMs: config.refreshGraceMs, log, now }) : undefined;
  const oauth = createOAuthHandlers({
    urls,
    clients,
    keys,
    log,
    refreshTokens: refresh !== undefined,
    token: createTokenEndpoint({ store, clients, tokens, sessions, ...urls, refresh }),
    revocation: createRevocationEndpoint({ tokens, sessions, refresh }),
  });
  const signIn = createSignInHandlers({
    authorize,
    sessions,
    upstream: gateSignIns(upstream, { concurrent: config.signInConcurrency }),
    store,
    log,
    signinRoles: config.signinRoles,
    sessionTtlMs: config.sessionTtlMs,
    secureCookies: config.publicUrl.startsWith('https:'),
    branding: config.branding,
    failedSignInLimits,
  });
  const resultWorkers = deps.resultWorkers ?? createResultWorkers({ workers: config.resultWorkers, minBytes: config.resultWorkerMinBytes, splitFromBytes: config.resultWorkerSplitBytes, log });
  const vaults = createVaultRegistry({
    ...(shared && cipher ? { store, cipher } : {}),
    entryBudget: config.piiVaultEntries,
    now,
    onDrop: (vault) => resultWorkers.forget(vault),
  });
  sessions.onEnd((sessionId, reason, ended) => {
    vaults.forget(sessionId);
    // Its upstream token is of no use to anyone now; one the upstream already refused needs no revoking.
    if (ended === undefined || reason === 'upstream_rejected') return;
    revokeInBackground(upstream, ended.upstreamToken, log, { sessionId });
  });
  const mcp = createMcpEndpoint({
    upstream,
    sessions,
    catalog: createCatalogCache(upstream, now),
    vaults,
    resultWorkers,
    log,
    version: VERSION,
    writeScope: WRITE_SCOPE,
    now,
    fastToolCalls: deps.fastToolCalls ?? true,
    redactedFreeTextSearch: config.redactedFreeTextSearch,
  });
  const guardOptions = { tokens, sessions, resourceMetadataUrl, resourceUrl: config.resourceUrl, scope: DEFAULT_SCOPE, log };
  const guard = createBearerGuard({ ...guardOptions, authenticatedBefore: authenticatedByShortcut });

  const errorPage = loadTemplate('error.html');
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });
  const json = (limit: string | number) => express.json({ limit, type: ['application/json', 'application/*+json'] });

  const writeScopeCheck: express.RequestHandler = (req, res, next) => {
    const needed = requiredScopeFor(req.body, WRITE_SCOPE);
    const { scopes } = res.locals as AuthenticatedLocals;
    if (needed === undefined || scopes.includes(needed)) return next();
    res.setHeader(
      'WWW-Authenticate',
      bearerChallenge({ resourceMetadataUrl, scope: DEFAULT_SCOPE, error: 'insufficient_scope', description: 'This tool changes data and needs the mcp:write scope; this session is read-only.' }),
    );
    res.status(403).json({ error: 'insufficient_scope', error_description: 'This tool changes data and needs the mcp:write scope; this session is read-only.' });
  };

  // Decided once: below info level the hot path registers no listener per request.
  const accessLog = log.isLevelEnabled('info');
  /** Every request's start, in Express or in the /mcp shortcut: its id, its access log line, its log context. */
  const beginRequest = (req: IncomingMessage, res: ServerResponse, path: string): RequestContext => {
    const requestId = randomUUID();
    const started = performance.now();
    res.setHeader('X-Request-Id', requestId);
    // Access log: method, path without the query (it may hold OAuth parameters), status, duration.
    if (accessLog && path !== '/healthz' && path !== '/readyz') {
      res.once('finish', () => log.info({ requestId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request completed'));
    }
    return { requestId };
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use((req, res, next) => {
    // Begun by the /mcp shortcut, which runs Express inside that request's context.
    if (wasHandedOff(req)) return next();
    requestContext.run(beginRequest(req, res, req.path), next);
  });
  app.use(apiHeaders);

  // ---- The route table -------------------------------------------------------------------------
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([store.ping(), upstream.ping()]);
    const [storeOk, upstreamOk] = checks.map((check) => check.status === 'fulfilled');
    res.status(storeOk && upstreamOk ? 200 : 503).json({ status: storeOk && upstreamOk ? 'ready' : 'unavailable', store: storeOk ? 'ok' : 'down', upstream: upstreamOk ? 'ok' : 'down' });
  });

  app.options(['/.well-known/{*rest}', '/register', '/token', '/revoke'], publicCors);
  app.get(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'], publicCors, oauth.authorizationServerMetadata);
  app.get(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'], publicCors, oauth.protectedResourceMetadata);
  app.get('/.well-known/jwks.json', publicCors, oauth.jwks);
  app.post('/register', publicCors, rateLimitMiddleware(store, limits.register), json('32kb'), oauth.register);
  app.post('/token', publicCors, noStore, rateLimitMiddleware(store, limits.token), form, oauth.token);
  app.post('/revoke', publicCors, noStore, rateLimitMiddleware(store, limits.revoke), form, oauth.revoke);

  // Limited before anything is stored: every valid request writes a pending record that lives 10 minutes.
  app.get('/authorize', htmlHeaders, rateLimitMiddleware(store, limits.authorize, { refuse: signIn.tooManyRequests }), signIn.show);
  app.post('/authorize', htmlHeaders, form, signIn.submit);
  // Explicit: `send` leaves a Cache-Control already set (apiHeaders' no-store) alone, maxAge or not.
  app.get('/assets/style.css', (_req, res) => res.setHeader('Cache-Control', 'public, max-age=3600').sendFile(path.join(VIEWS_DIR, 'style.css')));
  app.get('/assets/brand.css', signIn.brandStylesheet);

  // A step added here must be added to http/mcp-shortcut.ts too (or make it hand those requests over): decision 004.
  app.all('/mcp', originCheck(config), guard, mcpBody(json(MCP_BODY_LIMIT_BYTES)), writeScopeCheck, mcp.handle);

  if (config.adminToken) {
    const admin = createAdminHandlers({ adminToken: config.adminToken, sessions, log });
    app.get('/admin/sessions', noStore, admin.requireAdmin, admin.listSessions);
    app.delete('/admin/sessions/:id', admin.requireAdmin, admin.endSession);
    app.delete('/admin/accounts/:accountId/sessions', admin.requireAdmin, admin.endAccountSessions);
  }
  // ---------------------------------------------------------------------------------------------

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `No route for ${req.method} ${req.path}.` });
  });
  app.use(errorHandler({ log, renderHtmlError: (_status, title, message, code) => renderErrorPage(errorPage, config.branding, { title, message, code }) }));

  // The same steps as the /mcp route above, without Express, for plain tool calls (src/http/mcp-shortcut.ts).
  const requestListener = createMcpShortcut({
    app,
    begin: (req, res) => beginRequest(req, res, '/mcp'),
    authenticate: createBearerAuthenticator(guardOptions),
    requiredScope: (body) => requiredScopeFor(body, WRITE_SCOPE),
    fastCallOf: mcp.fastCallOf,
    answerFast: mcp.answerFast,
    maxBodyBytes: MCP_BODY_LIMIT_BYTES,
    log,
  });

  return {
    requestListener,
    store,
    async close() {
      await mcp.close();
      vaults.close();
      if (deps.resultWorkers === undefined) await resultWorkers.close();
      if (deps.store === undefined) await store.close();
    },
  };
}
