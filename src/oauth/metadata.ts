/** Discovery documents: RFC 8414 authorization server metadata and RFC 9728 protected resource metadata. */
import { SUPPORTED_SCOPES } from './scopes.js';

export interface DiscoveryUrls {
  issuer: string;
  resourceUrl: string;
}

export interface MetadataOptions {
  refreshTokens: boolean;
}

export function buildAuthorizationServerMetadata({ issuer }: DiscoveryUrls, options: MetadataOptions = { refreshTokens: false }) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: options.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/** RFC 9728 §3: served at /.well-known/oauth-protected-resource and at its /mcp path-suffixed form. */
export function buildProtectedResourceMetadata({ issuer, resourceUrl }: DiscoveryUrls) {
  return {
    resource: resourceUrl,
    authorization_servers: [issuer],
    scopes_supported: [...SUPPORTED_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Gatehouse',
  };
}

export function protectedResourceMetadataUrl({ issuer, resourceUrl }: DiscoveryUrls): string {
  return `${issuer}/.well-known/oauth-protected-resource${new URL(resourceUrl).pathname}`;
}
