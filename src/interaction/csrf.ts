/**
 * CSRF protection of the sign-in form: a random browser cookie, and a form field derived from that
 * cookie and the pending authorization. A cross-site form cannot know the cookie, so it cannot
 * produce the field; no server-side secret is needed, so every replica can check it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../secret.js';

export function newCsrfCookieValue(): string {
  return randomBytes(24).toString('base64url');
}

export function csrfFieldFor(cookieValue: string, interactionId: string): string {
  return createHash('sha256').update(`gatehouse-csrf\0${cookieValue}\0${interactionId}`).digest('base64url');
}

export function checkCsrf(cookieValue: string | undefined, interactionId: string, field: string | undefined): boolean {
  if (!cookieValue || !field) return false;
  return safeEqual(field, csrfFieldFor(cookieValue, interactionId));
}

/** `__Host-` binds the cookie to this exact origin over https; plain http (loopback dev) cannot use it. */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-gatehouse_csrf' : 'gatehouse_csrf';
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
