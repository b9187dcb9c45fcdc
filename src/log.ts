/**
 * Logging: pino with constant messages and data in fields. Request context (request id, client id)
 * comes from AsyncLocalStorage. Never log bodies, query strings of /authorize, tokens, codes,
 * cookies, upstream payloads or personal data; the redaction paths below are a second net, not the plan.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

export interface RequestContext {
  requestId: string;
  clientId?: string;
  sessionId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

const REDACT_PATHS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'gatehouse' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin() {
        const context = requestContext.getStore();
        return context ? { ...context } : {};
      },
    },
    options.destination,
  );
}

/** Audit events are `noun.past_tense` and never carry field values or personal data. */
export function audit(log: Logger, event: string, fields: Record<string, unknown>): void {
  log.info({ audit: true, event, ...fields }, event);
}
