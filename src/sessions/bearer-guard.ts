/**
 * The /mcp guard: a bearer token (header only, RFC 6750 §2.1) that verifies, names a live session
 * and was issued for that session's client. Every failure is a 401 with a challenge pointing at the
 * protected-resource metadata so the client can start (or restart) the sign-in.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { OAuthError } from '../http/oauth-error.js';
import type { Logger } from '../log.js';
import { requestContext } from '../log.js';
import type { AccessTokens } from './access-token.js';
import { bearerChallenge } from './bearer-challenge.js';
import type { Session, SessionService } from './session.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified token; the SDK's `toNodeHandler` hands it to the MCP server as `authInfo`. */
    auth?: AuthInfo;
  }
}

export interface GuardOptions {
  /** The outcome of an authentication already done for this request (by the /mcp shortcut, which then handed it on). */
  authenticatedBefore?: (req: Request) => Promise<Authenticated> | undefined;
  tokens: AccessTokens;
  sessions: SessionService;
  resourceMetadataUrl: string;
  resourceUrl: string;
  /** Scope advertised in challenges: what a client should ask for. */
  scope: string;
  log: Logger;
}

export interface AuthenticatedLocals {
  session: Session;
  scopes: string[];
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(?: |$)/i;

export interface Authenticated {
  session: Session;
  scopes: string[];
  /** What the SDK hands the MCP server as `authInfo`. */
  auth: AuthInfo;
}

/**
 * Verifies an Authorization header (a request without one is the guard's to answer): the token, its
 * live session and that session's client; records the use. Throws OAuthError for every refusal; any
 * other error (the store is down) is not a refusal.
 */
export function createBearerAuthenticator(options: Omit<GuardOptions, 'log' | 'scope'>): (header: string) => Promise<Authenticated> {
  return async (header) => {
    const match = BEARER.exec(header);
    // RFC 6750 §3.1: a malformed token is an invalid_token like any other (401, so clients sign in again).
    if (!match) throw new OAuthError('invalid_token', 'The Authorization header must be "Bearer <token>".');
    const claims = await options.tokens.verify(match[1]!);
    const session = await options.sessions.load(claims.sid);
    if (session === undefined || session.clientId !== claims.clientId) {
      throw new OAuthError('invalid_token', 'The session behind this access token has ended. Sign in again.');
    }
    await options.sessions.touch(session);
    // Parsed when read: only the SDK's path reads it, and a URL parse costs a fast-path call ≈ 14 µs
    // between calls. One per request, as URLs are mutable.
    let resource: URL | undefined;
    const auth: AuthInfo = {
      token: match[1]!,
      clientId: session.clientId,
      scopes: claims.scopes,
      expiresAt: Math.floor(session.expiresAt / 1000),
      get resource() {
        return (resource ??= new URL(options.resourceUrl));
      },
      resourceMetadataUrl: options.resourceMetadataUrl,
      extra: { session },
    };
    return { session, scopes: claims.scopes, auth };
  };
}

export function createBearerGuard(options: GuardOptions): RequestHandler {
  const authenticate = createBearerAuthenticator(options);
  const fail = (res: Response, error: OAuthError | undefined) => {
    res.setHeader(
      'WWW-Authenticate',
      bearerChallenge({
        resourceMetadataUrl: options.resourceMetadataUrl,
        scope: options.scope,
        ...(error ? { error: error.code as 'invalid_token' | 'invalid_request', description: error.description } : {}),
      }),
    );
    res.status(401).json(error ? error.toJSON() : { error: 'invalid_token', error_description: 'An access token is required. Sign in through the authorization server.' });
  };

  return async (req: Request, res: Response, next) => {
    const header = req.headers.authorization;
    // No credentials of ours (none, or another scheme): the challenge without an error code (RFC 6750 §3.1).
    if (header === undefined || !BEARER_SCHEME.test(header)) return fail(res, undefined);
    let authenticated: Authenticated;
    try {
      authenticated = await (options.authenticatedBefore?.(req) ?? authenticate(header));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      options.log.info({ oauthError: error.code, reason: error.description }, 'bearer token refused');
      return fail(res, error);
    }
    const { session, scopes, auth } = authenticated;
    const context = requestContext.getStore();
    if (context) {
      context.clientId = session.clientId;
      context.sessionId = session.id;
    }
    res.locals.session = session;
    res.locals.scopes = scopes;
    req.auth = auth;
    next();
  };
}
