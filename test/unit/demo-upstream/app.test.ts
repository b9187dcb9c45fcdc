import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createDemoUpstreamApp } from '../../../src/demo-upstream/app.js';
import { createDemoUpstreamContext } from '../../../src/demo-upstream/start.js';

const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
let clock = Date.parse('2025-06-02T09:00:00Z');
let app: Express;

async function signIn(username = 'admin@example.com', password = 'demo-password'): Promise<string> {
  const res = await request(app).post('/oauth/token').type('form').send({ grant_type: 'password', username, password }).expect(200);
  return res.body.access_token as string;
}

beforeAll(async () => {
  const { ctx } = await createDemoUpstreamContext({ argon2: FAST_ARGON2, tokenTtlSeconds: 60, now: () => clock });
  app = createDemoUpstreamApp(ctx);
});

describe('demo upstream token endpoint', () => {
  it('issues a bearer token for the password grant, not cached', async () => {
    const res = await request(app)
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'password', username: '  ADMIN@example.com ', password: 'demo-password' })
      .expect(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 60 });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a wrong password', { grant_type: 'password', username: 'admin@example.com', password: 'nope' }, 'invalid_grant'],
    ['an unknown account', { grant_type: 'password', username: 'nobody@example.com', password: 'demo-password' }, 'invalid_grant'],
    ['another grant type', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    ['no grant type', { username: 'admin@example.com' }, 'invalid_request'],
    ['no password', { grant_type: 'password', username: 'admin@example.com' }, 'invalid_request'],
  ])('answers 400 to %s', async (_name, form, error) => {
    const res = await request(app).post('/oauth/token').type('form').send(form).expect(400);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe('string');
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const unknown = await request(app).post('/oauth/token').type('form').send({ grant_type: 'password', username: 'x@example.com', password: 'p' });
    const wrong = await request(app).post('/oauth/token').type('form').send({ grant_type: 'password', username: 'admin@example.com', password: 'p' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('revokes a token', async () => {
    const token = await signIn();
    await request(app).post('/oauth/revoke').type('form').send({ token }).expect(200);
    await request(app).get('/api/me').auth(token, { type: 'bearer' }).expect(401);
  });
});

describe('demo upstream bearer authentication', () => {
  it('answers 401 with WWW-Authenticate when the token is missing', async () => {
    const res = await request(app).get('/api/entities').expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('answers 401 invalid_token to an unknown token', async () => {
    const res = await request(app).get('/api/me').auth('not-a-token', { type: 'bearer' }).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 401 once the token has expired', async () => {
    const token = await signIn();
    await request(app).get('/api/me').auth(token, { type: 'bearer' }).expect(200);
    clock += 61_000;
    await request(app).get('/api/me').auth(token, { type: 'bearer' }).expect(401);
  });
});

describe('demo upstream HTTP hygiene', () => {
  it('hides x-powered-by and answers unknown routes with JSON 404', async () => {
    const res = await request(app).get('/nowhere').expect(404);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers /healthz without a token', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('refuses malformed JSON with 400 and no stack trace', async () => {
    const token = await signIn();
    const res = await request(app)
      .post('/api/entities/members/search')
      .auth(token, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"filter":')
      .expect(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses bodies over the JSON limit with 413', async () => {
    const token = await signIn();
    const res = await request(app)
      .post('/api/entities/members/records')
      .auth(token, { type: 'bearer' })
      .send({ notes: 'x'.repeat(300_000) })
      .expect(413);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('answers an unknown entity type with 404', async () => {
    const token = await signIn();
    const res = await request(app).get('/api/entities/spaceships').auth(token, { type: 'bearer' }).expect(404);
    expect(res.body.error.message).toContain('spaceships');
  });
});
