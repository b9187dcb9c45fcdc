import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Headers for every response; HTML pages add a stricter CSP in html-headers. Nothing is cached
 * unless its route says so (metadata, keys, the stylesheet): tool results carry personal data, and
 * a shared cache must never keep one person's answer.
 */
export function setApiHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
}

export const apiHeaders: RequestHandler = (_req, res, next) => {
  setApiHeaders(res);
  next();
};

/**
 * CSP of our HTML: no script at all, no framing. Browsers apply form-action to the redirect that
 * follows a form post, so the sign-in page lists the client's redirect origin as a form target.
 */
export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  const targets = ["'self'", ...formTargets].join(' ');
  return `default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action ${targets}; frame-ancestors 'none'; base-uri 'none'`;
}

/** Sign-in and error pages: nothing cached, nothing framed (RFC 9700 §4.16). */
export const htmlHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy());
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
};

/** Token responses and anything carrying credentials (RFC 6749 §5.1). */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
};
