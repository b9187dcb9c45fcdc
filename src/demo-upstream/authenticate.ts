/**
 * Bearer authentication of `/api/*` (RFC 6750): a missing, unknown, expired or revoked token
 * answers 401 with `WWW-Authenticate: Bearer`, and `error="invalid_token"` when one was sent.
 */
import type { NextFunction, Request, Response } from 'express';
import type { DemoAccount } from './accounts.js';
import type { DemoContext } from './context.js';

const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

function refuse(res: Response, presented: boolean): void {
  res
    .status(401)
    .set('WWW-Authenticate', presented ? 'Bearer realm="demo-upstream", error="invalid_token"' : 'Bearer realm="demo-upstream"')
    .json({
      error: {
        code: 'unauthorized',
        message: presented ? 'The access token is invalid, expired or revoked. Sign in again.' : 'Sign in first: this API needs a bearer token.',
      },
    });
}

export function createAuthenticate(ctx: DemoContext) {
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    const header = req.get('authorization');
    if (!header) return refuse(res, false);
    const match = BEARER.exec(header);
    const accountId = match ? ctx.tokens.resolve(match[1]!) : undefined;
    const account = accountId ? ctx.accounts.findById(accountId) : undefined;
    if (!account) return refuse(res, true);
    res.locals.account = account;
    next();
  };
}

export function currentAccount(res: Response): DemoAccount {
  return res.locals.account as DemoAccount;
}
