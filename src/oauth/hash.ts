import { createHash, randomBytes } from 'node:crypto';

/** Codes and other single-use secrets are stored under their hash, never in clear. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

