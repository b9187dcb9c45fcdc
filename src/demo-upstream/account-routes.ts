/** `GET /api/me` and `POST /api/me/password`; a password change signs the account out everywhere. */
import type { Request, Response } from 'express';
import { invalidRequest } from './api-error.js';
import { toPublicAccount } from './accounts.js';
import { currentAccount } from './authenticate.js';
import type { DemoContext } from './context.js';

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;

export function showMe(_req: Request, res: Response): void {
  res.json(toPublicAccount(currentAccount(res)));
}

export function createChangePasswordHandler(ctx: DemoContext) {
  return async function changePassword(req: Request, res: Response): Promise<void> {
    const account = currentAccount(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.currentPassword !== 'string') throw invalidRequest('currentPassword is required.');
    if (typeof body.newPassword !== 'string' || body.newPassword.length < MIN_PASSWORD || body.newPassword.length > MAX_PASSWORD) {
      throw invalidRequest(`newPassword must be between ${MIN_PASSWORD} and ${MAX_PASSWORD} characters.`);
    }
    if (!(await ctx.accounts.verifyPassword(account.id, body.currentPassword))) {
      throw invalidRequest('currentPassword is not correct.');
    }
    await ctx.accounts.setPassword(account.id, body.newPassword);
    ctx.tokens.revokeAccount(account.id);
    res.json({ message: 'Password changed. Every session of this account has been signed out.' });
  };
}
