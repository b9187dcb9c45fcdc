import { createHmac } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokens, type Session } from '../../../src/sessions/index.js';
import { testSigningKeys } from '../../helpers/keys.js';

const issuer = 'https://gatehouse.example.com';
const audience = `${issuer}/mcp`;
const keys = await testSigningKeys();
const otherKeys = await testSigningKeys();
let clock = Date.parse('2026-11-23T12:00:00Z');
const tokens = createAccessTokens({ keys, issuer, audience, ttlMs: 8 * 3_600_000, now: () => clock });

const session: Session = {
  id: 'sid-1',
  account: { id: 'acc_1', name: 'Ada', email: 'ada@example.com', roles: ['admin'], readOnly: false },
  clientId: 'client-1',
  scopes: ['mcp:read', 'mcp:write'],
  sharePii: false,
  createdAt: clock,
  expiresAt: clock + 8 * 3_600_000,
  upstreamToken: 'upstream',
  piiSecret: 'c2VjcmV0',
};

const claims = { client_id: 'client-1', scope: 'mcp:read', sid: 'sid-1', share_pii: false };
const sign = (header: Record<string, unknown>, key = keys.current.privateKey, overrides: { iss?: string; aud?: string; exp?: number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid, ...header })
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? audience)
    .setSubject('acc_1')
    .setIssuedAt(Math.floor(clock / 1000))
    .setExpirationTime(overrides.exp ?? Math.floor(clock / 1000) + 600)
    .setJti('jti-1')
    .sign(key);

describe('access tokens', () => {
  it('issues an at+jwt that verifies and names the session, never the upstream token', async () => {
    const issued = await tokens.issue(session, { scopes: ['mcp:read', 'mcp:write'] });
    const [header, payload] = issued.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid });
    expect(payload).toMatchObject({ iss: issuer, aud: audience, sub: 'acc_1', client_id: 'client-1', sid: 'sid-1', scope: 'mcp:read mcp:write', share_pii: false });
    expect(issued.token).not.toContain('upstream');
    await expect(tokens.verify(issued.token)).resolves.toMatchObject({ sid: 'sid-1', scopes: ['mcp:read', 'mcp:write'] });
  });

  it('never lets a token outlive its session', async () => {
    const short = { ...session, expiresAt: clock + 60_000 };
    const issued = await tokens.issue(short, { scopes: ['mcp:read'] });
    expect(issued.expiresIn).toBe(60);
  });

  const forgeries: Array<[string, () => Promise<string>, string]> = [
    ['alg none', async () => new UnsecuredJWT(claims).setIssuer(issuer).setAudience(audience).setSubject('acc_1').setIssuedAt().setExpirationTime('10m').setJti('j').encode(), 'invalid'],
    [
      'HMAC keyed with the public key',
      async () => {
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: keys.current.kid })).toString('base64url');
        const body = Buffer.from(JSON.stringify({ ...claims, iss: issuer, aud: audience, sub: 'acc_1', iat: 1, exp: 9_999_999_999, jti: 'j' })).toString('base64url');
        const mac = createHmac('sha256', JSON.stringify(keys.current.publicJwk)).update(`${header}.${body}`).digest('base64url');
        return `${header}.${body}.${mac}`;
      },
      'invalid',
    ],
    ['an unknown kid', () => sign({ kid: 'unknown' }), 'not signed by this server'],
    ['a key that is not ours', () => sign({}, otherKeys.current.privateKey), 'invalid'],
    ['a wrong typ', () => sign({ typ: 'JWT' }), 'typ must be at+jwt'],
    ['a wrong issuer', () => sign({}, undefined, { iss: 'https://evil.example.com' }), 'not issued by this server'],
    ['a wrong audience', () => sign({}, undefined, { aud: 'https://other.example.com/mcp' }), 'not meant for this resource'],
    ['an expired token', () => sign({}, undefined, { exp: Math.floor(clock / 1000) - 10 }), 'expired'],
    ['garbage', async () => 'not.a.jwt', 'invalid'],
  ];

  it.each(forgeries)('refuses %s', async (_name, make, message) => {
    const forged = await make();
    await expect(tokens.verify(forged)).rejects.toMatchObject({ code: 'invalid_token', description: expect.stringContaining(message) });
  });

  it('stops accepting a cached token once it expires', async () => {
    const issued = await tokens.issue({ ...session, expiresAt: clock + 120_000 }, { scopes: ['mcp:read'] });
    await expect(tokens.verify(issued.token)).resolves.toBeDefined();
    clock += 121_000;
    await expect(tokens.verify(issued.token)).rejects.toMatchObject({ code: 'invalid_token' });
  });
});
