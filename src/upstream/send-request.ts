/**
 * One HTTP exchange with the upstream over a keep-alive undici Pool (measured faster than the
 * global fetch on this machine), through the Pool's dispatch handler rather than its request()
 * API: the body's chunks are collected as they arrive, with no Readable stream, AbortSignal or
 * async resource per call (bench/HISTORY.md, "A cheaper hop"). One deadline covers waiting for a
 * connection, headers and body; network failures and unreadable JSON become
 * UpstreamUnavailableError, the deadline UpstreamTimeoutError. Never logs: bodies and tokens stay
 * inside.
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { giveBackBody, readBody } from './body-buffers.js';
import { decodeJson, type RawUpstreamResponse, type UpstreamResponse } from './decode-json.js';
import { UpstreamTimeoutError, UpstreamUnavailableError } from './errors.js';

export interface RequestInit {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
}

export interface Requester {
  send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init?: RequestInit): Promise<UpstreamResponse>;
  /** The body's bytes as they came; a large one is given back with giveBackBody once read (body-buffers.ts). */
  sendRaw(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init?: RequestInit): Promise<RawUpstreamResponse>;
  close(): Promise<void>;
}

export interface RequesterOptions {
  baseUrl: string;
  timeoutMs: number;
  connections: number;
  maxResponseBytes: number;
}

function isTimeout(error: unknown): boolean {
  return error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError;
}

/** Status and body of one request; rejects with the Upstream error it maps to. */
function exchange(pool: Dispatcher, request: Dispatcher.DispatchOptions, timeoutMs: number): Promise<RawUpstreamResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let chunks: Buffer[] = [];
    let length = 0;
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== undefined) return reject(error);
      resolve({ status, bytes: readBody(chunks, length) });
      chunks = []; // copied: the socket's buffers are not kept alive by a handler undici still holds
    };
    const timer = setTimeout(() => {
      const error = new UpstreamTimeoutError();
      settle(error);
      controller?.abort(error); // not started yet (waiting for a connection): onRequestStart aborts it
    }, timeoutMs);
    pool.dispatch(request, {
      onRequestStart(started) {
        controller = started;
        if (settled) started.abort(new UpstreamTimeoutError());
        // May start again (a pipelined request retried): nothing of a response kept from before.
        chunks = [];
        length = 0;
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode; // a 1xx is followed by the final status
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
        length += chunk.byteLength;
      },
      onResponseEnd() {
        settle(undefined);
      },
      onResponseError(_controller, error) {
        settle(isTimeout(error) ? new UpstreamTimeoutError({ cause: error }) : new UpstreamUnavailableError({ cause: error }));
      },
    });
  });
}

export function createRequester(options: RequesterOptions): Requester {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('upstream baseUrl must be an http(s) URL');
  const prefix = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: options.connections,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    maxResponseSize: options.maxResponseBytes,
  });

  async function sendRaw(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init: RequestInit = {}): Promise<RawUpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return exchange(pool, { method, path: `${prefix}${path}`, headers, body }, options.timeoutMs);
  }

  async function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, init: RequestInit = {}): Promise<UpstreamResponse> {
    const raw = await sendRaw(method, path, init);
    try {
      return decodeJson(raw);
    } finally {
      giveBackBody(raw.bytes); // parsed: the value holds copies
    }
  }

  return { send, sendRaw, close: () => pool.close() };
}
