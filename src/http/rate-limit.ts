/**
 * Fixed-window rate limits counted in the Store, so every replica shares them. Keys are built by the
 * caller (client address, account); the Store never sees personal data in clear (callers hash it).
 */
import type { RequestHandler, Response } from 'express';
import type { Store } from '../store/index.js';
import { addressSubject } from './client-address.js';

export interface RateLimit {
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
  /** When the window this hit was counted in ends, on the Store's clock: a refund is only good until then. */
  resetAt: number;
}

/**
 * How long before its window ends a hit is no longer given back. Checking the time and decrementing
 * are two steps, and Redis reports a window's end after a round trip, so a refund checked just in
 * time could still land in the next window. A hit kept this close to the end of its window is
 * forgotten moments later anyway.
 */
const REFUND_MARGIN_MS = 5_000;

const counterKey = (rule: RateLimit, subject: string) => `rate:${rule.name}:${subject}`;

/** Counts one hit, refused or not: checking and counting in one atomic step is what holds under concurrency. */
export async function consumeRateLimit(store: Store, rule: RateLimit, subject: string, now = Date.now()): Promise<RateLimitResult> {
  const { count, resetAt } = await store.increment(counterKey(rule, subject), rule.windowMs);
  return {
    allowed: count <= rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    resetAt,
  };
}

/**
 * Gives back a hit that turned out not to count (a limit of failures counts every attempt until it is
 * known to have failed), in the window it was counted in only: once that has ended the counter is the
 * next window's, and taking 1 off it would grant an extra hit there to whoever filled it.
 */
export async function refundRateLimit(store: Store, rule: RateLimit, subject: string, counted: Pick<RateLimitResult, 'resetAt'>, now = Date.now()): Promise<void> {
  if (now >= counted.resetAt - REFUND_MARGIN_MS) return;
  await store.decrement(counterKey(rule, subject));
}

export interface RateLimitOptions {
  /** How a refused request is answered (after Retry-After is set); default an OAuth-shaped JSON body. */
  refuse?: (res: Response, retryAfterSeconds: number) => void;
}

/**
 * 429 with an OAuth-shaped body. RFC 6749 defines no code for it at the token, registration or
 * revocation endpoints; `temporarily_unavailable` is the closest and what clients already see.
 */
const refuseWithJson = (res: Response, retryAfterSeconds: number) => {
  res.status(429).json({
    error: 'temporarily_unavailable',
    error_description: `Too many requests. Retry after ${retryAfterSeconds} seconds.`,
  });
};

/** Express middleware: 429 with Retry-After once the client address's (an IPv6 client's /64) window is full. */
export function rateLimitMiddleware(store: Store, rule: RateLimit, options: RateLimitOptions = {}): RequestHandler {
  const refuse = options.refuse ?? refuseWithJson;
  return async (req, res, next) => {
    const result = await consumeRateLimit(store, rule, addressSubject(req.ip));
    if (result.allowed) return next();
    res.setHeader('Retry-After', String(result.retryAfterSeconds));
    refuse(res, result.retryAfterSeconds);
  };
}
