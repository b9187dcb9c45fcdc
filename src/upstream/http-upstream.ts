/**
 * The Upstream contract over the HTTP API of docs/upstream-api.md (the demo upstream's API):
 * password grant at `/oauth/token`, then bearer calls to `/api/*` as the signed-in person.
 * Knows nothing of OAuth clients, MCP or sessions, and logs nothing.
 */
import type { z } from 'zod';
import { InvalidCredentialsError, UpstreamUnavailableError } from './errors.js';
import {
  accountSchema,
  commandResultSchema,
  entitySummariesSchema,
  entityTypeSchema,
  recordSchema,
  parseSearchPage,
  tokenResponseSchema,
} from './schemas.js';
import { giveBackBody } from './body-buffers.js';
import { decodeJson, type UpstreamResponse } from './decode-json.js';
import { createRequester, type RequestInit } from './send-request.js';
import { toUpstreamError } from './to-upstream-error.js';
import type { EntityRecord, EntityType, Upstream } from './types.js';

export interface HttpUpstreamOptions {
  /** Base URL of the upstream, e.g. `http://127.0.0.1:4000` (a path prefix is kept). */
  baseUrl: string;
  /** Deadline of one call, connect to last body byte. Default 10 s. */
  timeoutMs?: number;
  /** Keep-alive connections in the pool. Default 32. */
  connections?: number;
  /** Largest response accepted. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Clock in epoch ms, used for `expiresAt`. */
  now?: () => number;
}

/** Used when a token response has no `expires_in` (RFC 6749 §5.1 only recommends it): the gateway's session length. */
const DEFAULT_UPSTREAM_TOKEN_TTL_S = 8 * 3600;

/** Encodes one path segment; `.` and `..` are escaped so they cannot climb the path. */
export function encodeSegment(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded === '.' || encoded === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}

function parse<T>(schema: z.ZodType<T>, response: UpstreamResponse): T {
  const result = schema.safeParse(response.body);
  if (!result.success) throw new UpstreamUnavailableError({ status: response.status });
  return result.data;
}

export function createHttpUpstream(options: HttpUpstreamOptions): Upstream {
  const now = options.now ?? Date.now;
  const requester = createRequester({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 10_000,
    connections: options.connections ?? 32,
    maxResponseBytes: options.maxResponseBytes ?? 32 * 1024 * 1024,
  });

  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init: RequestInit, expected = 200): Promise<UpstreamResponse> {
    const response = await requester.send(method, path, init);
    if (response.status >= 200 && response.status < 300) {
      if (response.status !== expected && !(expected === 200 && response.status === 201)) {
        throw new UpstreamUnavailableError({ status: response.status });
      }
      return response;
    }
    throw toUpstreamError(response.status, response.body);
  }

  const entityPath = (type: string): string => `/api/entities/${encodeSegment(type)}`;
  const recordPath = (type: string, id: string): string => `${entityPath(type)}/records/${encodeSegment(id)}`;

  const upstream: Upstream = {
    async signIn(email, password) {
      const startedAt = now();
      const response = await requester.send('POST', '/oauth/token', {
        form: { grant_type: 'password', username: email, password },
      });
      if (response.status === 400 || response.status === 401) {
        const error = toUpstreamError(response.status, response.body);
        if (error.upstreamCode === 'invalid_grant') throw new InvalidCredentialsError({ status: response.status, upstreamCode: 'invalid_grant' });
        throw error;
      }
      if (response.status !== 200) throw toUpstreamError(response.status, response.body);
      const token = parse(tokenResponseSchema, response);
      const account = await upstream.me(token.access_token);
      return {
        accessToken: token.access_token,
        expiresAt: startedAt + (token.expires_in ?? DEFAULT_UPSTREAM_TOKEN_TTL_S) * 1000,
        account,
      };
    },

    async me(token) {
      return parse(accountSchema, await call('GET', '/api/me', { token }));
    },

    async revoke(token) {
      const response = await requester.send('POST', '/oauth/revoke', { form: { token } });
      // RFC 7009 §2.2: 200 whether or not the token was live; anything else did not revoke it.
      if (response.status !== 200) throw toUpstreamError(response.status, response.body);
    },

    async listEntities(token) {
      return parse(entitySummariesSchema, await call('GET', '/api/entities', { token }));
    },

    async describe(token, type) {
      return parse(entityTypeSchema, await call('GET', entityPath(type), { token })) as EntityType;
    },

    async search(token, type, query) {
      const body = await upstream.searchBody(token, type, query);
      try {
        return parseSearchPage(body);
      } finally {
        giveBackBody(body);
      }
    },

    async searchBody(token, type, query) {
      const response = await requester.sendRaw('POST', `${entityPath(type)}/search`, { token, json: query });
      if (response.status === 200 || response.status === 201) return response.bytes; // as call() accepts
      const { status, body } = decodeJson(response);
      giveBackBody(response.bytes);
      if (status >= 200 && status < 300) throw new UpstreamUnavailableError({ status });
      throw toUpstreamError(status, body);
    },

    async get(token, type, id) {
      return parse(recordSchema, await call('GET', recordPath(type, id), { token })) as EntityRecord;
    },

    async create(token, type, data) {
      return parse(recordSchema, await call('POST', `${entityPath(type)}/records`, { token, json: data })) as EntityRecord;
    },

    async update(token, type, id, data) {
      return parse(recordSchema, await call('PATCH', recordPath(type, id), { token, json: data })) as EntityRecord;
    },

    async delete(token, type, id) {
      const response = await requester.send('DELETE', recordPath(type, id), { token });
      if (response.status < 200 || response.status >= 300) throw toUpstreamError(response.status, response.body);
    },

    async runCommand(token, type, id, command, args) {
      const path = `${recordPath(type, id)}/commands/${encodeSegment(command)}`;
      const result = parse(commandResultSchema, await call('POST', path, { token, json: args ?? {} }));
      return result.record === undefined ? { message: result.message } : { message: result.message, record: result.record as EntityRecord };
    },

    /** Reachability, not health: any answer below 500 counts, so an upstream without /healthz is still ready. */
    async ping() {
      const response = await requester.send('GET', '/healthz');
      if (response.status >= 500) throw new UpstreamUnavailableError({ status: response.status });
    },

    close: () => requester.close(),
  };
  return upstream;
}
