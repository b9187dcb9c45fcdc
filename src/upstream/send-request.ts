/**
 * One HTTP exchange with the upstream over a keep-alive undici Pool (measured faster than the
 * global fetch on this machine). One deadline covers connect, headers and body; network
 * failures and unreadable JSON become UpstreamUnavailableError, the deadline
 * UpstreamTimeoutError. Never logs: bodies and tokens stay inside.
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { giveBackBody, isPooledSize, readBody } from './body-buffers.js';
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

/** The body's bytes; a large one in a buffer that comes back once read (body-buffers.ts). */
async function bytesOf(response: Dispatcher.ResponseData): Promise<Buffer> {
  // A body declared small is read as before: the path of most calls, kept as measured.
  const declared = Number(response.headers['content-length']);
  if (Number.isSafeInteger(declared) && !isPooledSize(declared)) return Buffer.from(await response.body.arrayBuffer());
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  return readBody(chunks, length);
}

function isTimeout(error: unknown): boolean {
  return error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError;
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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      const response = await pool.request({ method, path: `${prefix}${path}`, headers, body, signal: controller.signal });
      return { status: response.statusCode, bytes: await bytesOf(response) };
    } catch (error) {
      if (controller.signal.aborted || isTimeout(error)) throw new UpstreamTimeoutError({ cause: error });
      throw new UpstreamUnavailableError({ cause: error });
    } finally {
      clearTimeout(timer);
    }
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
