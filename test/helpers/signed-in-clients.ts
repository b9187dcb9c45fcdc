/** One Gatehouse for a test file, and the official MCP clients it signs in: all closed after the file. */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll } from 'vitest';
import { startGatehouse, type RunningGatehouse } from './gatehouse.js';
import { connectWithToken, type ProtocolRevision } from './mcp-client.js';
import { signIn, type SignInOptions } from './oauth-flow.js';

export function signedInClients(env: Record<string, string> = {}) {
  let server: RunningGatehouse | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startGatehouse({ env });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await server?.close();
  });
  return {
    get server(): RunningGatehouse {
      if (server === undefined) throw new Error('the server starts in beforeAll');
      return server;
    },
    /** Signs in through the real flow and connects a client with the access token. */
    async connect(options: SignInOptions = {}, revision?: ProtocolRevision) {
      const { accessToken } = await signIn(this.server.url, options);
      const client = await connectWithToken(this.server.resourceUrl, accessToken, revision);
      clients.push(client);
      return { client, accessToken };
    },
  };
}
