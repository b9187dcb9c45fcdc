/**
 * Encryption at rest for secrets that must sit in a shared store (upstream tokens, PII vault values):
 * AES-256-GCM with a random 96-bit IV, bound to a purpose string as additional data. The sealed
 * form names its key (a short hash), so keys rotate by listing the new key first in
 * TOKEN_ENCRYPTION_KEY and keeping the old one until everything sealed with it has expired.
 * Tags are always the full 16 bytes: GCM otherwise verifies a truncated tag, down to 4 bytes, which
 * makes forging one a matter of guessing that many bytes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Secret } from '../secret.js';

export interface TokenCipher {
  seal(plaintext: string, purpose: string): string;
  /** Throws when the data was not sealed by one of our keys for this purpose. */
  open(sealed: string, purpose: string): string;
}

const VERSION = 'g1';
const TAG_BYTES = 16;

export function createTokenCipher(keys: readonly Secret<Buffer>[]): TokenCipher {
  if (keys.length === 0) throw new Error('createTokenCipher needs at least one key');
  const byId = new Map(keys.map((key) => [createHash('sha256').update(key.reveal()).digest('base64url').slice(0, 8), key.reveal()]));
  const [currentId] = byId.keys();
  const current = byId.get(currentId!)!;

  return {
    seal(plaintext, purpose) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(purpose));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed, purpose) {
      const [version, keyId, iv, tag, data] = sealed.split('.');
      const key = keyId === undefined ? undefined : byId.get(keyId);
      const authTag = tag === undefined ? undefined : Buffer.from(tag, 'base64url');
      if (version !== VERSION || key === undefined || iv === undefined || authTag?.length !== TAG_BYTES || data === undefined) {
        throw new Error('sealed data is not readable with the configured TOKEN_ENCRYPTION_KEY');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
