import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaseApp, type App } from './create-app.js';
import { badRequest } from './app-error.js';

describe('createBaseApp validation and errors', () => {
  let app: App;
  beforeAll(async () => {
    app = createBaseApp({ service: 'teacher_node', bodyLimit: 1024 });
    app.post(
      '/thing',
      {
        schema: {
          body: Type.Object(
            { name: Type.String({ minLength: 1 }), note: Type.Union([Type.String(), Type.Null()]) },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => ({ got: req.body }),
    );
    app.get('/page', { schema: { querystring: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (req) => ({
      n: req.query.n,
    }));
    app.get('/boom', async () => {
      throw new Error('secret internals at /srv/app.ts:12');
    });
    app.get('/coded', async () => {
      throw badRequest('that course code is taken', 'DUPLICATE_CODE');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/thing', payload: payload as object });

  it('accepts a well-typed body and keeps null as null', async () => {
    const res = await post({ name: 'x', note: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ got: { name: 'x', note: null } });
  });

  it.each([
    ['a wrong type', { name: 123, note: null }],
    ['a null where a string belongs', { name: null, note: null }],
    ['an unknown field', { name: 'x', note: null, admin: true }],
    ['a missing field', { name: 'x' }],
  ])('refuses %s with a coded 400', async (_label, body) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses malformed JSON and oversized bodies with their own codes', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/thing',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
    const big = await post({ name: 'x'.repeat(2000), note: null });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('coerces querystrings, which are always text', async () => {
    expect((await app.inject('/page?n=5')).json()).toEqual({ n: 5 });
    expect((await app.inject('/page?n=zero')).statusCode).toBe(400);
  });

  it('renders coded errors and never leaks a 5xx message', async () => {
    const coded = await app.inject('/coded');
    expect(coded.statusCode).toBe(400);
    expect(coded.json()).toEqual({ error: { code: 'DUPLICATE_CODE', message: 'that course code is taken' } });
    const boom = await app.inject('/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret');
    expect(boom.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('answers 503 while draining', async () => {
    app.draining = true;
    const res = await app.inject('/page?n=1');
    app.draining = false;
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('SHUTTING_DOWN');
  });
});
