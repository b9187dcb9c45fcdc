/** Thin Express adapters over the authorization server's endpoints; the logic lives in the modules they call. */
import type { Request, Response } from 'express';
import type { ClientRepository } from './client-repository.js';
import { basicClientId, loadRequestingClient } from './client-auth.js';
import { buildAuthorizationServerMetadata, buildProtectedResourceMetadata, type DiscoveryUrls } from './metadata.js';
import { registerClient, toRegistrationResponse } from './register-client.js';
import type { createRevocationEndpoint } from './revoke.js';
import type { TokenEndpoint } from './token.js';
import type { SigningKeys } from '../sessions/index.js';
import { audit, type Logger } from '../log.js';

export interface OAuthHandlerDeps {
  urls: DiscoveryUrls;
  clients: ClientRepository;
  token: TokenEndpoint;
  revocation: ReturnType<typeof createRevocationEndpoint>;
  keys: SigningKeys;
  log: Logger;
  refreshTokens: boolean;
}

export function createOAuthHandlers(deps: OAuthHandlerDeps) {
  const authorizationServerMetadata = buildAuthorizationServerMetadata(deps.urls, { refreshTokens: deps.refreshTokens });
  const protectedResourceMetadata = buildProtectedResourceMetadata(deps.urls);

  return {
    authorizationServerMetadata(_req: Request, res: Response) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.json(authorizationServerMetadata);
    },
    protectedResourceMetadata(_req: Request, res: Response) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.json(protectedResourceMetadata);
    },
    jwks(_req: Request, res: Response) {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(deps.keys.jwks);
    },
    async register(req: Request, res: Response) {
      const client = await registerClient(req.body, deps.clients);
      audit(deps.log, 'client.registered', { clientId: client.clientId, redirectUris: client.redirectUris.length });
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json(toRegistrationResponse(client, { refreshTokens: deps.refreshTokens }));
    },
    async token(req: Request, res: Response) {
      const response = await deps.token.exchange(req.body, basicClientId(req.headers.authorization));
      audit(deps.log, 'access_token.issued', { grantType: req.body?.grant_type, scope: response.scope, expiresIn: response.expires_in, refreshToken: response.refresh_token !== undefined });
      res.json(response);
    },
    async revoke(req: Request, res: Response) {
      // The client is identified as at /token (RFC 7009 §2.1), against the same registrations.
      const client = await loadRequestingClient(req.body, basicClientId(req.headers.authorization), deps.clients);
      await deps.revocation.revoke(req.body, client);
      res.status(200).end();
    },
  };
}
