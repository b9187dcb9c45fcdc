/**
 * Where client registrations live. The embedded default keeps them as files in DATA_DIR so they
 * survive restarts; a shared deployment keeps them in the Store.
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../store/index.js';

export interface RegisteredClient {
  clientId: string;
  clientName: string | undefined;
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  tokenEndpointAuthMethod: 'none';
  scope: string | undefined;
  clientUri: string | undefined;
  logoUri: string | undefined;
  applicationType: 'web' | 'native' | undefined;
  /** Epoch seconds. */
  issuedAt: number;
}

export interface ClientRepository {
  load(clientId: string): Promise<RegisteredClient | undefined>;
  save(client: RegisteredClient): Promise<void>;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{16,64}$/;
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

export function isWellFormedClientId(clientId: string): boolean {
  return CLIENT_ID.test(clientId);
}

export function createFileClientRepository(dir: string): ClientRepository {
  const cache = new Map<string, RegisteredClient>();
  const fileOf = (clientId: string) => path.join(dir, `${clientId}.json`);
  return {
    async load(clientId) {
      if (!isWellFormedClientId(clientId)) return undefined;
      const cached = cache.get(clientId);
      if (cached) return cached;
      try {
        const client = JSON.parse(await readFile(fileOf(clientId), 'utf8')) as RegisteredClient;
        cache.set(clientId, client);
        return client;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(client) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = `${fileOf(client.clientId)}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(client), { mode: 0o600 });
      await rename(temporary, fileOf(client.clientId));
      cache.set(client.clientId, client);
    },
  };
}

export function createStoreClientRepository(store: Store): ClientRepository {
  return {
    async load(clientId) {
      if (!isWellFormedClientId(clientId)) return undefined;
      return store.get<RegisteredClient>(`client:${clientId}`);
    },
    async save(client) {
      await store.set(`client:${client.clientId}`, client, TEN_YEARS_MS);
    },
  };
}

/** Registered clients by id, and URL client ids through their metadata documents. */
export function withClientMetadataDocuments(
  repository: ClientRepository,
  documents: { load(url: string): Promise<RegisteredClient | undefined> },
  isUrl: (clientId: string) => boolean,
): ClientRepository {
  return {
    load: (clientId) => (isUrl(clientId) ? documents.load(clientId) : repository.load(clientId)),
    save: (client) => repository.save(client),
  };
}
