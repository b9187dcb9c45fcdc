/**
 * The one error middleware. Each route family answers in its own protocol's shape: OAuth error JSON,
 * JSON-RPC errors on /mcp, an HTML page on the sign-in page. Internal reasons go to the log only.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../store/index.js';
import { OAuthError } from './oauth-error.js';

const UNAVAILABLE = 'The session store is unavailable; try again shortly.';

export function errorHandler(options: { log: Logger; renderHtmlError: (status: number, title: string, message: string, code: string) => string }): ErrorRequestHandler {
  /** Fail closed: without the store nothing can be verified, so nothing is served. */
  const storeDown: ErrorRequestHandler = (error, req, res) => {
    options.log.error({ err: error, path: req.path }, 'store unavailable');
    if (res.headersSent) return;
    res.setHeader('Retry-After', '5');
    if (req.path === '/mcp') res.status(503).json({ jsonrpc: '2.0', id: null, error: { code: -32603, message: UNAVAILABLE } });
    else if (req.path === '/authorize') res.status(503).type('html').send(options.renderHtmlError(503, 'Sign-in is unavailable right now', UNAVAILABLE, 'temporarily_unavailable'));
    else res.status(503).json({ error: 'temporarily_unavailable', error_description: UNAVAILABLE });
  };

  return (error, req, res, next) => {
    if (error instanceof StoreUnavailableError) return storeDown(error, req, res, next);
    const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
    const clientError = error instanceof OAuthError ? error.status < 500 : status >= 400 && status < 500;
    if (clientError) options.log.info({ path: req.path, status: error instanceof OAuthError ? error.status : status, oauthError: error?.code, type: error?.type }, 'request refused');
    else options.log.error({ err: error, path: req.path }, 'request failed');
    if (res.headersSent) return;

    if (req.path === '/mcp') {
      const parse = error?.type === 'entity.parse.failed';
      res.status(parse ? 400 : clientError ? status : 500).json({ jsonrpc: '2.0', id: null, error: mcpError(parse, clientError, status) });
      return;
    }
    if (req.path === '/authorize') {
      res.status(clientError ? 400 : 500).type('html').send(
        clientError
          ? options.renderHtmlError(400, 'This request is not valid', 'The sign-in request could not be read.', 'invalid_request')
          : options.renderHtmlError(500, 'Something went wrong', 'Gatehouse could not complete the sign-in because of an internal error.', 'server_error'),
      );
      return;
    }
    if (error instanceof OAuthError) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      res.status(error.status).json(error.toJSON());
      return;
    }
    if (clientError) {
      const code = req.path === '/register' ? 'invalid_client_metadata' : 'invalid_request';
      res.status(status === 413 ? 413 : 400).json({ error: code, error_description: status === 413 ? 'The request body is too large.' : 'The request body could not be read.' });
      return;
    }
    res.status(500).json({ error: 'server_error', error_description: 'An internal error occurred.' });
  };
}

/** JSON-RPC's own codes: the client's mistake is an invalid request (-32600), ours an internal error. */
function mcpError(parse: boolean, clientError: boolean, status: number): { code: number; message: string } {
  if (parse) return { code: -32700, message: 'Parse error: the body is not valid JSON.' };
  if (!clientError) return { code: -32603, message: 'Internal error.' };
  if (status === 413) return { code: -32600, message: 'Invalid request: the body is too large.' };
  if (status === 415) return { code: -32600, message: 'Invalid request: the body\'s charset or content encoding is not supported; send JSON in UTF-8.' };
  return { code: -32600, message: 'Invalid request: the body could not be read.' };
}
