/**
 * Client ID Metadata Documents (MCP authorization 2025-11-25; draft-ietf-oauth-client-id-metadata-document):
 * a client whose client_id is an https URL describes itself in the JSON document at that URL.
 * Fetching a URL named by a stranger is an SSRF risk, so: https only, no private, loopback or
 * link-local addresses (checked on the resolved address at connect time, so DNS rebinding does not
 * help), no redirects, a small size and time budget. Documents are cached per their Cache-Control.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, request } from 'undici';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { RegisteredClient } from './client-repository.js';
import { checkRedirectUri } from './redirect-uri.js';

export interface ClientMetadataDocuments {
  /** The client the document describes, or undefined when it cannot be used (the reason is logged). */
  load(url: string): Promise<RegisteredClient | undefined>;
}

export interface ClientMetadataOptions {
  log: Logger;
  /** Development only: allow http and private or loopback addresses. */
  dangerouslyAllowPrivateNetworks?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 5 * 60_000;
const MAX_TTL_MS = 24 * 3_600_000;
const FAILURE_TTL_MS = 30_000;
/** Fetches in flight at once: anyone can name a URL, so outbound work per replica is capped. */
const MAX_IN_FLIGHT = 16;

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(network, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? PRIVATE.check(mapped[1]!, 'ipv4') : PRIVATE.check(address, 'ipv6');
  }
  return true;
}

/** A URL client id: https, with a path, nothing that makes two spellings of one id (draft §3). */
export function isClientIdUrl(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

const Document = z.object({
  client_id: z.string(),
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  logo_uri: z.string().max(2000).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
  scope: z.string().max(1000).optional(),
});

class Unusable extends Error {}

export function createClientMetadataDocuments(options: ClientMetadataOptions): ClientMetadataDocuments {
  const now = options.now ?? Date.now;
  const allowPrivate = options.dangerouslyAllowPrivateNetworks === true;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBytes = options.maxBytes ?? 16 * 1024;
  const cache = new Map<string, { client: RegisteredClient | undefined; expiresAt: number }>();
  let inFlight = 0;

  const lookup = (hostname: string, lookupOptions: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (!allowPrivate && list.some((entry) => isPrivateAddress(entry.address))) {
        return callback(new Unusable('the host resolves to a private, loopback or link-local address'), []);
      }
      if ((lookupOptions as { all?: boolean }).all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const agent = new Agent({ connect: { lookup: lookup as never, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 8 });

  const checkUrl = (url: URL) => {
    if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new Unusable('the client id must be an https URL');
    if (url.pathname === '/' || url.hash || url.username || url.password || /\/\.\.?(\/|$)/.test(url.pathname)) {
      throw new Unusable('the client id URL must have a path and no fragment, credentials or dot segments');
    }
    if (!allowPrivate && isIP(url.hostname.replace(/^\[|\]$/g, '')) && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
      throw new Unusable('the client id URL names a private or loopback address');
    }
  };

  const fetchDocument = async (clientId: string): Promise<{ client: RegisteredClient; ttlMs: number }> => {
    const url = new URL(clientId);
    checkUrl(url);
    // undici's request follows no redirects: a 3xx is refused below like any other non-200.
    const response = await request(url, { method: 'GET', dispatcher: agent, headers: { accept: 'application/json' } });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Unusable(`the document answered HTTP ${response.statusCode}`);
    }
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new Unusable(`the document is larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    let parsed;
    try {
      parsed = Document.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      throw new Unusable('the document is not JSON');
    }
    if (!parsed.success) throw new Unusable(`the document is not valid client metadata (${parsed.error.issues[0]!.path.join('.')})`);
    const document = parsed.data;
    if (document.client_id !== clientId) throw new Unusable('the document client_id is not the URL it was fetched from');
    if (document.token_endpoint_auth_method !== undefined && document.token_endpoint_auth_method !== 'none') {
      throw new Unusable('only public clients (token_endpoint_auth_method "none") are supported');
    }
    for (const uri of document.redirect_uris) {
      const problem = checkRedirectUri(uri);
      if (problem) throw new Unusable(`a redirect URI ${problem}`);
    }
    const https = (value: string | undefined) => (value !== undefined && URL.canParse(value) && new URL(value).protocol === 'https:' ? value : undefined);
    return {
      client: {
        clientId,
        clientName: document.client_name,
        redirectUris: document.redirect_uris,
        grantTypes: document.grant_types ?? ['authorization_code', 'refresh_token'],
        responseTypes: document.response_types ?? ['code'],
        tokenEndpointAuthMethod: 'none',
        scope: document.scope,
        clientUri: https(document.client_uri),
        logoUri: https(document.logo_uri),
        applicationType: undefined,
        issuedAt: Math.floor(now() / 1000),
      },
      ttlMs: cacheLifetime(response.headers['cache-control']),
    };
  };

  return {
    async load(clientId) {
      const cached = cache.get(clientId);
      if (cached && cached.expiresAt > now()) return cached.client;
      if (inFlight >= MAX_IN_FLIGHT) {
        options.log.warn({ clientIdHost: safeHost(clientId) }, 'client metadata document not fetched: too many fetches in flight');
        return undefined;
      }
      inFlight++;
      try {
        const { client, ttlMs } = await fetchDocument(clientId);
        if (ttlMs > 0) remember(clientId, client, ttlMs);
        return client;
      } catch (error) {
        const reason = error instanceof Unusable ? error.message : error instanceof Error && error.cause instanceof Unusable ? error.cause.message : 'the document could not be fetched';
        options.log.info({ clientIdHost: safeHost(clientId), reason }, 'client metadata document refused');
        remember(clientId, undefined, FAILURE_TTL_MS);
        return undefined;
      } finally {
        inFlight--;
      }
    },
  };

  function remember(clientId: string, client: RegisteredClient | undefined, ttlMs: number) {
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
    cache.set(clientId, { client, expiresAt: now() + ttlMs });
  }
}

function cacheLifetime(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (/\bno-store\b|\bno-cache\b/i.test(value)) return 0;
  const maxAge = /\bmax-age=(\d+)/i.exec(value);
  return maxAge ? Math.min(Number(maxAge[1]) * 1000, MAX_TTL_MS) : DEFAULT_TTL_MS;
}

function safeHost(clientId: string): string | undefined {
  return URL.canParse(clientId) ? new URL(clientId).host : undefined;
}
