/**
 * The operator surface: list active sessions and end one, or all of an account's. Enabled only when
 * ADMIN_TOKEN is set; every call needs `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
 * time. Answers never contain tokens of any kind.
 */
import type { Request, RequestHandler, Response } from 'express';
import { audit, type Logger } from '../log.js';
import { safeEqual, type Secret } from '../secret.js';
import type { SessionService } from '../sessions/index.js';

export function createAdminHandlers(deps: { adminToken: Secret; sessions: SessionService; log: Logger }) {
  const requireAdmin: RequestHandler = (req, res, next) => {
    const header = req.headers.authorization ?? '';
    if (safeEqual(header.startsWith('Bearer ') ? header.slice(7) : '', deps.adminToken.reveal())) return next();
    deps.log.info({ path: req.path }, 'admin request refused');
    res.setHeader('WWW-Authenticate', 'Bearer realm="gatehouse-admin"');
    res.status(401).json({ error: 'invalid_token', error_description: 'The admin API needs Authorization: Bearer <ADMIN_TOKEN>.' });
  };

  return {
    requireAdmin,
    async listSessions(req: Request, res: Response) {
      const account = typeof req.query.account === 'string' ? req.query.account : undefined;
      res.setHeader('Cache-Control', 'no-store');
      res.json({ sessions: await deps.sessions.list(account) });
    },
    async endSession(req: Request, res: Response) {
      const id = String(req.params.id);
      const exists = (await deps.sessions.load(id)) !== undefined;
      if (exists) await deps.sessions.end(id, 'administrator');
      audit(deps.log, 'admin.session_ended', { sessionId: id, found: exists });
      res.status(exists ? 204 : 404).end();
    },
    async endAccountSessions(req: Request, res: Response) {
      const accountId = String(req.params.accountId);
      const sessions = await deps.sessions.list(accountId);
      for (const session of sessions) await deps.sessions.end(session.id, 'administrator');
      audit(deps.log, 'admin.account_sessions_ended', { accountId, count: sessions.length });
      res.json({ ended: sessions.length });
    },
  };
}
