export { createDemoUpstreamApp } from './app.js';
export {
  createDemoUpstreamContext,
  startDemoUpstream,
  DEFAULT_TOKEN_TTL_SECONDS,
  type DemoUpstreamOptions,
  type DemoUpstreamStats,
  type RunningDemoUpstream,
} from './start.js';
export type { DemoContext } from './context.js';
export {
  DEFAULT_ARGON2_PARAMS,
  DEFAULT_DEMO_PASSWORD,
  DEMO_ACCOUNT_EMAILS,
  type Argon2Params,
} from './accounts.js';
export { LOCATIONS, LOCATION_ADMIN_LOCATION } from './locations.js';
export { CATALOG } from './catalog.js';
export { DEFAULT_SEED, DEFAULT_VOLUME, REFERENCE_DATE, generateDataset, type DemoRecord, type GeneratedData } from './generate.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './search.js';
