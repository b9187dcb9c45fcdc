/**
 * Dynamic client registration for public clients (RFC 7591). Every client is public
 * (`token_endpoint_auth_method: none`) and proves possession with PKCE; a request for another auth
 * method is answered with `none` as RFC 7591 §3.2.1 allows, so clients that ask for a secret still work.
 */
import { z } from 'zod';
import { OAuthError } from '../http/oauth-error.js';
import type { ClientRepository, RegisteredClient } from './client-repository.js';
import { newSecret } from './hash.js';
import { checkRedirectUri } from './redirect-uri.js';

const httpsUrl = z
  .string()
  .max(2000)
  .refine((text) => URL.canParse(text) && new URL(text).protocol === 'https:', 'must be an https URL');

const RegistrationRequest = z.object({
  redirect_uris: z.array(z.string()).min(1, 'redirect_uris must list at least one URI').max(20),
  client_name: z.string().trim().max(200).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
  scope: z.string().max(1000).optional(),
  client_uri: httpsUrl.optional(),
  logo_uri: httpsUrl.optional(),
  application_type: z.enum(['web', 'native']).optional(),
});

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

export async function registerClient(body: unknown, repository: ClientRepository, now = Date.now()): Promise<RegisteredClient> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_client_metadata', 'The registration request must be a JSON object.');
  }
  const parsed = RegistrationRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OAuthError('invalid_client_metadata', `${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
  const request = parsed.data;
  for (const uri of request.redirect_uris) {
    const problem = checkRedirectUri(uri);
    if (problem) throw new OAuthError('invalid_redirect_uri', `The redirect URI ${JSON.stringify(uri.slice(0, 200))} ${problem}.`);
  }
  const grantTypes = request.grant_types ?? ['authorization_code'];
  const unsupported = grantTypes.filter((grant) => !GRANT_TYPES.has(grant));
  if (unsupported.length > 0 || !grantTypes.includes('authorization_code')) {
    throw new OAuthError('invalid_client_metadata', 'grant_types may list only authorization_code and refresh_token, and must include authorization_code.');
  }
  const responseTypes = request.response_types ?? ['code'];
  if (responseTypes.some((type) => type !== 'code')) {
    throw new OAuthError('invalid_client_metadata', 'response_types may list only "code".');
  }

  const client: RegisteredClient = {
    clientId: newSecret(18),
    clientName: request.client_name || undefined,
    redirectUris: [...new Set(request.redirect_uris)],
    grantTypes,
    responseTypes,
    tokenEndpointAuthMethod: 'none',
    scope: request.scope,
    clientUri: request.client_uri,
    logoUri: request.logo_uri,
    applicationType: request.application_type,
    issuedAt: Math.floor(now / 1000),
  };
  await repository.save(client);
  return client;
}

/**
 * The RFC 7591 §3.2.1 response body. `grant_types` says what the client will get now: without
 * refresh tokens it is authorization_code alone, as §3.2.1 lets the server replace requested values.
 * The registration keeps what was asked, so that turning refresh tokens on later serves it too.
 */
export function toRegistrationResponse(client: RegisteredClient, options: { refreshTokens: boolean }) {
  return {
    client_id: client.clientId,
    client_id_issued_at: client.issuedAt,
    client_name: client.clientName,
    redirect_uris: client.redirectUris,
    grant_types: options.refreshTokens ? client.grantTypes : client.grantTypes.filter((grant) => grant !== 'refresh_token'),
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    application_type: client.applicationType,
  };
}
