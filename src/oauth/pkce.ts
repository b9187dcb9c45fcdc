/** PKCE with S256 only (RFC 7636 §4.2; OAuth 2.1 and RFC 9700 §2.1.1 forbid `plain`). */
import { createHash } from 'node:crypto';
import { safeEqual } from '../secret.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isValidCodeChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** True when the verifier hashes to the challenge; compared in constant time. */
export function checkPkce(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !CHALLENGE.test(challenge)) return false;
  return safeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
