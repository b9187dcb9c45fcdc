/**
 * The one error middleware: ApiError → its status and `{error:{code, message}}`; body-parser
 * failures → 400/413; anything else → a generic 500. No stack trace ever goes on the wire.
 * Under `/oauth/` the same failures take the OAuth shape `{error, error_description}`.
 */
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

function describe(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
  const parserError = err as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') return { status: 400, code: 'invalid_request', message: 'The request body is not valid JSON.' };
  if (parserError?.type === 'entity.too.large') return { status: 413, code: 'invalid_request', message: 'The request body is too large.' };
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return { status: parserError.status, code: 'invalid_request', message: 'The request could not be read.' };
  }
  return { status: 500, code: 'internal_error', message: 'The demo upstream failed to handle this request.' };
}

export function handleError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, code, message } = describe(err);
  if (status === 500) console.error('demo upstream: unhandled error', err instanceof Error ? err.name : typeof err);
  if (res.headersSent) return void res.end();
  if (req.path.startsWith('/oauth/')) {
    res.status(status).json({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: message });
    return;
  }
  res.status(status).json({ error: { code, message } });
}

export function handleUnknownRoute(req: Request, res: Response): void {
  res.status(404).json({ error: { code: 'not_found', message: `There is no route ${req.method} ${req.path}.` } });
}
