/**
 * The demo upstream's route table: every path, method and middleware chain of the embedded
 * system of record on one screen. It is reached only over HTTP and imports nothing from the
 * gateway, exactly like an operator's real upstream.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createChangePasswordHandler, showMe } from './account-routes.js';
import { createAuthenticate, currentAccount } from './authenticate.js';
import type { DemoContext } from './context.js';
import { createEntityHandlers, describeEntity, listEntities } from './entity-routes.js';
import { handleError, handleUnknownRoute } from './error-handler.js';
import { createRevokeHandler, createTokenHandler } from './oauth-routes.js';
import { assertAdministrator } from './permissions.js';

const JSON_LIMIT = '256kb';
const FORM_LIMIT = '8kb';

function requireAdministrator(_req: Request, res: Response, next: NextFunction): void {
  assertAdministrator(currentAccount(res));
  next();
}

export function createDemoUpstreamApp(ctx: DemoContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 });
  const json = express.json({ limit: JSON_LIMIT });
  const authenticate = createAuthenticate(ctx);
  const entities = createEntityHandlers(ctx);

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));

  app.post('/oauth/token', form, createTokenHandler(ctx));
  app.post('/oauth/revoke', form, createRevokeHandler(ctx));

  // Every /api route, known or not, needs a live bearer token.
  app.use('/api', authenticate);
  app.get('/api/me', showMe);
  app.post('/api/me/password', json, createChangePasswordHandler(ctx));

  const admin = requireAdministrator;
  app.get('/api/entities', admin, listEntities);
  app.get('/api/entities/:type', admin, describeEntity);
  app.post('/api/entities/:type/search', admin, json, entities.search);
  app.get('/api/entities/:type/records/:id', admin, entities.get);
  app.post('/api/entities/:type/records', admin, json, entities.create);
  app.patch('/api/entities/:type/records/:id', admin, json, entities.update);
  app.delete('/api/entities/:type/records/:id', admin, entities.remove);
  app.post('/api/entities/:type/records/:id/commands/:command', admin, json, entities.command);

  app.use(handleUnknownRoute);
  app.use(handleError);
  return app;
}
