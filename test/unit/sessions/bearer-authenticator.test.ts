import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { createAccessTokens, createBearerAuthenticator, createSessionService } from '../../../src/sessions/index.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import { testSigningKeys } from '../../helpers/keys.js';

const issuer = 'https://gatehouse.example.com';
const resourceUrl = `${issuer}/mcp`;
const log = createLogger({ level: 'silent' });
const tokens = createAccessTokens({ keys: await testSigningKeys(), issuer, audience: resourceUrl, ttlMs: 3_600_000 });
const sessions = createSessionService({ store: createMemoryStore(), sessionTtlMs: 3_600_000, log });
const authenticate = createBearerAuthenticator({ tokens, sessions, resourceUrl, resourceMetadataUrl: `${issuer}/.well-known/oauth-protected-resource/mcp` });

describe('the bearer authenticator', () => {
  it("hands the SDK its AuthInfo: the session, the token's scopes and this resource, a URL of each request's own", async () => {
    const session = await sessions.create({
      account: { id: 'acc_1', name: 'Ada', email: 'ada@example.com', roles: ['admin'], readOnly: false },
      clientId: 'client-1',
      scopes: ['mcp:read'],
      sharePii: false,
      upstreamToken: 'upstream',
      upstreamExpiresAt: Date.now() + 3_600_000,
    });
    const { token } = await tokens.issue(session, { scopes: ['mcp:read'] });
    const first = await authenticate(`Bearer ${token}`);
    const second = await authenticate(`bearer ${token}`);
    expect(first.session.id).toBe(session.id);
    expect(first.auth).toMatchObject({ token, clientId: 'client-1', scopes: ['mcp:read'], resourceMetadataUrl: `${issuer}/.well-known/oauth-protected-resource/mcp` });
    expect(first.auth.resource).toBeInstanceOf(URL);
    expect(first.auth.resource?.href).toBe(resourceUrl);
    expect(first.auth.resource).toBe(first.auth.resource);
    expect(second.auth.resource).not.toBe(first.auth.resource);
    expect({ ...first.auth }.resource?.href).toBe(resourceUrl);
  });
});
