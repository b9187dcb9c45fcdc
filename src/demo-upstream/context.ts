/** What every demo upstream handler works with: records, accounts, tokens and the clock. */
import type { AccountDirectory } from './accounts.js';
import type { DataStore } from './data-store.js';
import type { TokenStore } from './tokens.js';

export interface DemoContext {
  store: DataStore;
  accounts: AccountDirectory;
  tokens: TokenStore;
  now: () => number;
}
