/**
 * Who is calling the token and revocation endpoints. Every client is public (RFC 6749 §2.1), so
 * there is no secret to check: the client names itself with `client_id` in the body or in HTTP Basic
 * with an empty password (§2.3.1), and must be one this server knows.
 */
import { OAuthError } from '../http/oauth-error.js';
import type { ClientRepository, RegisteredClient } from './client-repository.js';
import { readParams } from './request-params.js';

/** Public clients may still send their id in HTTP Basic (RFC 6749 §2.3.1) with an empty secret. */
export function basicClientId(header: string | undefined): string | undefined {
  if (header === undefined || !/^Basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The client a request names, in the body or in HTTP Basic (both must then agree). No client id is
 * `invalid_request`; an unknown one is 401 `invalid_client`, so that clients holding a registration
 * we no longer know register again.
 */
export async function loadRequestingClient(body: unknown, basic: string | undefined, clients: ClientRepository): Promise<RegisteredClient> {
  const { client_id: inBody } = readParams(body, ['client_id']);
  const clientId = inBody ?? basic;
  if (clientId === undefined) throw new OAuthError('invalid_request', 'The client_id parameter is missing.');
  if (basic !== undefined && inBody !== undefined && basic !== inBody) {
    throw new OAuthError('invalid_request', 'The client_id in the body and in the Authorization header differ.');
  }
  const client = await clients.load(clientId);
  if (client === undefined) {
    throw new OAuthError('invalid_client', 'Unknown client. Register the client again.', { headers: { 'WWW-Authenticate': 'Basic realm="gatehouse"' } });
  }
  return client;
}
