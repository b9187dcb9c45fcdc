export { createAuthorizationEndpoint, AuthorizationFailure, type AuthorizationEndpoint, type PendingAuthorization } from './authorize.js';
export {
  createFileClientRepository,
  createStoreClientRepository,
  withClientMetadataDocuments,
  type ClientRepository,
  type RegisteredClient,
} from './client-repository.js';
export { createClientMetadataDocuments, isClientIdUrl, isPrivateAddress, type ClientMetadataDocuments } from './client-metadata-document.js';
export { createOAuthHandlers, type OAuthHandlerDeps } from './handlers.js';
export { buildAuthorizationServerMetadata, buildProtectedResourceMetadata, protectedResourceMetadataUrl, type DiscoveryUrls } from './metadata.js';
export { createRevocationEndpoint } from './revoke.js';
export { READ_SCOPE, WRITE_SCOPE, SUPPORTED_SCOPES, DEFAULT_SCOPE } from './scopes.js';
export { createTokenEndpoint, type TokenEndpoint } from './token.js';
export { checkPkce } from './pkce.js';
export { checkRedirectUri, redirectUriMatches } from './redirect-uri.js';
export { createRefreshTokens, type RefreshTokens, type TokenPair } from './refresh-tokens.js';
export { readParams } from './request-params.js';
