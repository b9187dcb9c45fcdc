/**
 * Fixed-window rate limits counted in the Store, so every replica shares them. Keys are built by the
 * caller (client address, account); the Store never sees personal data in clear (callers hash it).
 */
import type { Request, RequestHandler } from 'express';
import type { Store } from '../store/index.js';

export interface RateLimit {
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

export async function consumeRateLimit(store: Store, rule: RateLimit, subject: string, now = Date.now()): Promise<RateLimitResult> {
  const { count, resetAt } = await store.increment(`rate:${rule.name}:${subject}`, rule.windowMs);
  return {
    allowed: count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

export async function peekRateLimit(store: Store, rule: RateLimit, subject: string): Promise<boolean> {
  const count = (await store.get<number>(`rate:${rule.name}:${subject}`)) ?? 0;
  return count < rule.limit;
}

/** Express middleware: 429 with Retry-After and an OAuth-shaped body once the subject's window is full. */
export function rateLimitMiddleware(store: Store, rule: RateLimit, subjectOf: (req: Request) => string = (req) => req.ip ?? 'unknown'): RequestHandler {
  return async (req, res, next) => {
    const result = await consumeRateLimit(store, rule, subjectOf(req));
    if (result.allowed) return next();
    res.setHeader('Retry-After', String(result.retryAfterSeconds));
    res.status(429).json({
      error: 'temporarily_unavailable',
      error_description: `Too many requests. Retry after ${result.retryAfterSeconds} seconds.`,
    });
  };
}
