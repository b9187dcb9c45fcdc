/**
 * The demo upstream's token endpoint (OAuth 2.0 password grant, RFC 6749 §4.3) and revocation
 * (RFC 7009). Wrong e-mail and wrong password get the same answer.
 */
import type { Request, Response } from 'express';
import type { DemoContext } from './context.js';

function oauthError(res: Response, error: string, description: string): void {
  res.status(400).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

const field = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export function createTokenHandler(ctx: DemoContext) {
  return async function issueToken(req: Request, res: Response): Promise<void> {
    const grantType = field(req.body, 'grant_type');
    if (!grantType) return oauthError(res, 'invalid_request', 'grant_type is missing; send it form-encoded.');
    if (grantType !== 'password') return oauthError(res, 'unsupported_grant_type', 'Only the password grant is supported.');
    const username = field(req.body, 'username');
    const password = field(req.body, 'password');
    if (!username || !password) return oauthError(res, 'invalid_request', 'username and password are required.');
    const account = await ctx.accounts.verifyCredentials(username, password);
    if (!account) return oauthError(res, 'invalid_grant', 'The e-mail address or password is not correct.');
    const { token, expiresInSeconds } = ctx.tokens.issue(account.id);
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresInSeconds,
    });
  };
}

export function createRevokeHandler(ctx: DemoContext) {
  return function revokeToken(req: Request, res: Response): void {
    const token = field(req.body, 'token');
    if (!token) return oauthError(res, 'invalid_request', 'token is missing; send it form-encoded.');
    ctx.tokens.revoke(token);
    res.status(200).end();
  };
}
