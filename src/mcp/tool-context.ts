import type { Logger } from '../log.js';
import type { PiiVault } from '../pii/index.js';
import type { Session, SessionEndReason } from '../sessions/index.js';
import type { Upstream } from '../upstream/index.js';
import type { CatalogCache } from './catalog-cache.js';
import type { Presenter } from './present.js';

/** What a tool handler gets: the verified session and the parts it may use. Never headers or tokens of ours. */
export interface ToolContext {
  session: Session;
  /** The access token's scopes: what this request may do, which a refresh may have narrowed below the session's. */
  scopes: readonly string[];
  upstream: Upstream;
  catalog: CatalogCache;
  presenter: Presenter;
  /** The session's PII vault; absent when the person shares personal data. */
  vault: PiiVault | undefined;
  /** Whether free text (`q`) may be searched while `vault` is set (PII_FREE_TEXT_SEARCH). */
  redactedFreeTextSearch: boolean;
  endSession(reason: SessionEndReason): Promise<void>;
  /** Merges tokens other replicas issued for this session; true when something was added. */
  reloadVault(): Promise<boolean>;
  log: Logger;
  now(): number;
}
