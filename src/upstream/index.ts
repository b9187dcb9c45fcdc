export type {
  CommandResult,
  EntityCommand,
  EntityField,
  EntityRecord,
  EntitySummary,
  EntityType,
  FieldType,
  FilterScalar,
  FilterValue,
  SearchPage,
  SearchQuery,
  SignInResult,
  Upstream,
  UpstreamAccount,
  UpstreamLocation,
} from './types.js';
export {
  InvalidCredentialsError,
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
  type UpstreamErrorCode,
  type UpstreamErrorDetails,
} from './errors.js';
export { adoptReturnedBody, giveBackBody, ownsItsBuffer } from './body-buffers.js';
export { createHttpUpstream, type HttpUpstreamOptions } from './http-upstream.js';
export { parseSearchPage } from './schemas.js';
export { revokeInBackground } from './revoke-in-background.js';
export { gateSignIns, SignInBusyError, type SignInGateOptions } from './sign-in-gate.js';
