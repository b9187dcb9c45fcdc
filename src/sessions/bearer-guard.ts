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

export function createBearerGuard(options: GuardOptions): RequestHandler {
  const fail = (res: Response, status: number, error: OAuthError | undefined) => {
    res.setHeader(
      'WWW-Authenticate',
      bearerChallenge({
        resourceMetadataUrl: options.resourceMetadataUrl,
        scope: options.scope,
        ...(error ? { error: error.code as 'invalid_token' | 'invalid_request', description: error.description } : {}),
      }),
    );
    res.status(status).json(
      error ? error.toJSON() : { error: 'invalid_token', error_description: 'An access token is required. Sign in through the authorization server.' },
    );
  };

  return async (req: Request, res: Response, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return fail(res, 401, undefined);
    const match = BEARER.exec(header);
    if (!match) return fail(res, 401, new OAuthError('invalid_request', 'The Authorization header must be "Bearer <token>".', { status: 401 }));

    let session: Session | undefined;
    let scopes: string[];
    try {
      const claims = await options.tokens.verify(match[1]!);
      session = await options.sessions.load(claims.sid);
      if (session === undefined || session.clientId !== claims.clientId) {
        throw new OAuthError('invalid_token', 'The session behind this access token has ended. Sign in again.');
      }
      scopes = claims.scopes;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      options.log.info({ oauthError: error.code, reason: error.description }, 'bearer token refused');
      return fail(res, 401, error);
    }

    const context = requestContext.getStore();
    if (context) {
      context.clientId = session.clientId;
      context.sessionId = session.id;
    }
    await options.sessions.touch(session);
    res.locals.session = session;
    res.locals.scopes = scopes;
    req.auth = {
      token: match[1]!,
      clientId: session.clientId,
      scopes,
      expiresAt: Math.floor(session.expiresAt / 1000),
      resource: new URL(options.resourceUrl),
      resourceMetadataUrl: options.resourceMetadataUrl,
      extra: { session },
    };
    next();
  };
}
