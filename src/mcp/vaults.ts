/**
 * Each session's PII vault, kept in this process. Tokens are deterministic from the session's
 * secret, so a vault rebuilt after eviction issues the same tokens; only tokens it has not yet
 * seen again cannot be resolved, and the tool says so.
 */
import { createVault, type PiiVault } from '../pii/index.js';
import type { Session } from '../sessions/index.js';

export interface VaultRegistry {
  vaultFor(session: Session): PiiVault;
  forget(sessionId: string): void;
}

export function createVaultRegistry(limit = 50_000): VaultRegistry {
  const vaults = new Map<string, PiiVault>();
  return {
    vaultFor(session) {
      let vault = vaults.get(session.id);
      if (vault === undefined) {
        vault = createVault(Buffer.from(session.piiSecret, 'base64url'));
        if (vaults.size >= limit) vaults.delete(vaults.keys().next().value!);
        vaults.set(session.id, vault);
      }
      return vault;
    },
    forget(sessionId) {
      vaults.delete(sessionId);
    },
  };
}
