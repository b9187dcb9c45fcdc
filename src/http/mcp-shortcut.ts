/**
 * POST /mcp tool calls without Express. Express's own work per request (prototype swaps, the
 * router, the middleware chain) was about a quarter of Gatehouse's CPU per 10 KB tool call
 * (bench/HISTORY.md). A call from a native client goes straight from node:http through the steps of
 * the /mcp route in its order: request id and API headers, bearer authentication (before a byte of
 * the body is read), the body, write scope, the tools/call fast path. Only that path is taken here:
 * anything else (a browser Origin, another content type or encoding, a body over the limit, a
 * refusal, a request the fast path does not take, an error) is handed to Express with what was
 * already learned, so every refusal and every error still gets the one answer the route table gives.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { requestContext, type Logger, type RequestContext } from '../log.js';
import type { FastToolCall, ParsedRequest } from '../mcp/tool-call-fast-path.js';
import type { Authenticated, Session } from '../sessions/index.js';
import { setApiHeaders } from './security-headers.js';

/** What the shortcut learned before handing a request to Express. */
interface HandOff {
  /** Its settled outcome, accepted or refused: the bearer guard takes it instead of verifying the same header again. */
  authentication: Promise<Authenticated>;
  /** True once the shortcut has read the body: Express must not read it again. */
  bodyRead: boolean;
  body?: unknown;
  /** A body that could not be read, or a failure of the call itself: Express's error handler answers it. */
  error?: unknown;
}

const HAND_OFF = Symbol('gatehouse.mcpHandOff');
type HandedOff = IncomingMessage & { [HAND_OFF]?: HandOff };

/** True for a request the shortcut began (its request id and log context exist) and then gave to Express. */
export const wasHandedOff = (req: IncomingMessage): boolean => (req as HandedOff)[HAND_OFF] !== undefined;

/** The outcome of the authentication the shortcut did for a request it handed to Express, if any. */
export const authenticatedByShortcut = (req: IncomingMessage): Promise<Authenticated> | undefined => (req as HandedOff)[HAND_OFF]?.authentication;

/** /mcp's body step in Express: the shortcut's body (or its error) when it read one, else `parser`. */
export function mcpBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const handOff = (req as HandedOff)[HAND_OFF];
    if (handOff === undefined || !handOff.bodyRead) return parser(req, res, next);
    if (handOff.error !== undefined) return next(handOff.error);
    req.body = handOff.body;
    next();
  };
}

export interface McpShortcutDeps {
  /** Express, for everything the shortcut does not answer. */
  app: RequestListener;
  /** Starts a request as Express's first middleware does: request id, access log; returns its log context. */
  begin(req: IncomingMessage, res: ServerResponse): RequestContext;
  authenticate(header: string): Promise<Authenticated>;
  /** The scope a JSON-RPC body needs beyond the default one, if any. */
  requiredScope(body: unknown): string | undefined;
  fastCallOf(req: ParsedRequest, scopes: readonly string[]): FastToolCall | undefined;
  answerFast(caller: { session: Session; scopes: readonly string[] }, fast: FastToolCall, res: ServerResponse): Promise<void>;
  maxBodyBytes: number;
  log: Logger;
}

const JSON_UTF8 = /^application\/json\s*(?:;\s*charset\s*=\s*(?:utf-8|"utf-8")\s*)?$/i;
const BEARER_PREFIX = /^bearer /i;

/** A body error shaped as body-parser's, so the error handler answers both alike. */
const bodyError = (message: string, type: string) => Object.assign(new Error(message), { status: 400, type });

type Read = { body: unknown; error?: undefined } | { body?: undefined; error: unknown };

/** body-parser's JSON rules: UTF-8, a leading BOM dropped, strict (an object or an array), its error type. */
function parse(raw: Buffer): Read {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: bodyError('The request body is not valid JSON.', 'entity.parse.failed') };
  }
  if (typeof body !== 'object' || body === null) return { error: bodyError('The request body is not a JSON object or array.', 'entity.parse.failed') };
  return { body };
}

/** The whole body (the caller checked its length), or the abort that cut it short. */
function readBody(req: IncomingMessage): Promise<Read> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const aborted = () => resolve({ error: bodyError('The request was aborted.', 'request.aborted') });
    if (req.destroyed) return aborted(); // gone while it was being authenticated: no event is coming
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(parse(Buffer.concat(chunks))));
    req.on('error', aborted);
    req.on('close', () => {
      if (!req.complete) aborted();
    });
  });
}

export function createMcpShortcut(deps: McpShortcutDeps): RequestListener {
  /** Only what needs nothing Express offers: no CORS, no decoding, a known length within the limit. */
  const eligible = (req: IncomingMessage): boolean => {
    if (req.method !== 'POST' || req.url !== '/mcp') return false;
    const { headers } = req;
    if (headers.origin !== undefined || headers['transfer-encoding'] !== undefined) return false;
    if (headers['content-encoding'] !== undefined && headers['content-encoding'] !== 'identity') return false;
    if (!JSON_UTF8.test(headers['content-type'] ?? '') || !BEARER_PREFIX.test(headers.authorization ?? '')) return false;
    const length = Number(headers['content-length']);
    return Number.isSafeInteger(length) && length > 0 && length <= deps.maxBodyBytes;
  };

  const handOff = (req: IncomingMessage, res: ServerResponse, state: HandOff) => {
    (req as HandedOff)[HAND_OFF] = state;
    deps.app(req, res);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, context: RequestContext) => {
    const authentication = deps.authenticate(req.headers.authorization ?? ''); // eligible: a Bearer header
    let authenticated: Authenticated;
    try {
      authenticated = await authentication;
    } catch {
      // Unread: the guard answers the refusal (or the store error) with the route's own response.
      return handOff(req, res, { authentication, bodyRead: false });
    }
    const { session, scopes } = authenticated;
    context.clientId = session.clientId;
    context.sessionId = session.id;
    const read = await readBody(req);
    const passOn: HandOff = { authentication, bodyRead: true, ...read };
    if (read.error !== undefined) return handOff(req, res, passOn);
    const needed = deps.requiredScope(read.body);
    if (needed !== undefined && !scopes.includes(needed)) return handOff(req, res, passOn);
    const fast = deps.fastCallOf({ method: req.method, headers: req.headers, body: read.body }, scopes);
    if (fast === undefined) return handOff(req, res, passOn);
    try {
      await deps.answerFast(authenticated, fast, res);
    } catch (error) {
      if (res.headersSent) throw error;
      handOff(req, res, { ...passOn, error });
    }
  };

  return (req, res) => {
    if (!eligible(req)) return deps.app(req, res);
    const context = deps.begin(req, res);
    setApiHeaders(res);
    requestContext.run(context, () => {
      route(req, res, context).catch((error: unknown) => {
        // Only a failure after the answer started reaches here: the connection cannot carry an error any more.
        deps.log.error({ err: error, path: '/mcp' }, 'request failed');
        res.destroy();
      });
    });
  };
}
