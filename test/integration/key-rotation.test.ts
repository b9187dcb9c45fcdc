import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.js';
import { startGatehouse } from '../helpers/gatehouse.js';
import { mcpStatus } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';

const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing key rotation', () => {
  it('publishes the next key before it signs and accepts the previous key until it is dropped', async () => {
    const [oldKey, newKey] = [pem(), pem()];
    const store = createMemoryStore();
    const shared = { deps: { store } };

    // Step 1: the new key is published, the old one still signs.
    const step1 = await startGatehouse({ env: { SIGNING_KEY: oldKey, SIGNING_KEY_NEXT: newKey }, ...shared });
    const jwks1 = (await (await fetch(`${step1.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks1.keys).toHaveLength(2);
    const { accessToken: oldToken } = await signIn(step1.url);
    expect(kidOf(oldToken)).toBe(jwks1.keys[0]!.kid);

    // Step 2: the new key signs; the old one is still accepted. Same issuer so tokens carry over.
    const step2 = await startGatehouse({ env: { SIGNING_KEY: newKey, SIGNING_KEY_PREVIOUS: oldKey, PUBLIC_URL: step1.url }, ...shared });
    expect(await mcpStatus(`${step2.url}/mcp`, oldToken)).toBe(200);
    const { accessToken: newToken } = await signIn(step2.url, { resource: `${step1.url}/mcp` });
    expect(kidOf(newToken)).toBe(jwks1.keys[1]!.kid);

    // Step 3: the old key is dropped; its tokens stop working.
    const step3 = await startGatehouse({ env: { SIGNING_KEY: newKey, PUBLIC_URL: step1.url }, ...shared });
    const jwks3 = (await (await fetch(`${step3.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks3.keys.map((key) => key.kid)).toEqual([jwks1.keys[1]!.kid]);
    expect(await mcpStatus(`${step3.url}/mcp`, oldToken)).toBe(401);
    expect(await mcpStatus(`${step3.url}/mcp`, newToken)).toBe(200);

    await Promise.all([step1.close(), step2.close(), step3.close()]);
  });
});
