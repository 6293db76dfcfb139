import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pkg from '../../package.json';
import { buildTestApp } from '../helpers/app';

describe('service skeleton', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
    // Routes that exist only here, to drive the error handler the way module routes will.
    app.post(
      '/api/test-echo',
      { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }), count: Type.Integer() }) } },
      async (request) => request.body,
    );
    app.get('/api/test-crash', async () => {
      throw new Error('secret connection string mongodb://user:pw@db');
    });
  });
  afterAll(() => app.close());

  test('GET /health reports ok and which database it uses', async () => {
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: process.env.LINLI_TEST_DB_KIND });
  });

  test('GET /api/app-info answers with the package version and echoes a request id', async () => {
    const res = await app.inject({ url: '/api/app-info', headers: { 'x-request-id': 'trace-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '邻里', version: pkg.version });
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  test('an unknown route gets the one error shape with a stable code', async () => {
    const res = await app.inject('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: 'Route GET /api/nope not found',
      reqId: res.headers['x-request-id'],
    });
  });

  test('a body failing its schema is a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/test-echo', payload: { name: 'x', count: 1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details).toEqual([{ path: 'body/name', message: expect.stringContaining('2') }]);
  });

  test('malformed JSON is a 400, an oversized body a 413, a wrong content type a 415', async () => {
    const headers = { 'content-type': 'application/json' };
    const broken = await app.inject({ method: 'POST', url: '/api/test-echo', headers, payload: '{"name":' });
    expect([broken.statusCode, broken.json().code]).toEqual([400, 'BAD_REQUEST']);

    const huge = await app.inject({
      method: 'POST',
      url: '/api/test-echo',
      headers,
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), count: 1 }),
    });
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const text = await app.inject({
      method: 'POST',
      url: '/api/test-echo',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect([text.statusCode, text.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  test('a crash is a 500 that reveals nothing of the cause', async () => {
    const res = await app.inject('/api/test-crash');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      reqId: expect.any(String),
    });
    expect(res.body).not.toContain('mongodb://');
  });

  test('responses carry security headers', async () => {
    const res = await app.inject('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  test('OpenAPI documents the routes with their error responses', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/app-info']));
    expect(doc.paths['/api/app-info'].get.responses['4XX']).toBeDefined();
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });
});

describe('H5 hosting', () => {
  test('serves the H5 build at / with its inline script allowed by hash only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'linli-h5-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><script>window.x=1</script></head></html>');
    const app = await buildTestApp({ h5Root: root });
    try {
      const res = await app.inject('/');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('window.x=1');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src'));
      expect(scriptSrc).not.toContain('unsafe-inline');
    } finally {
      await app.close();
    }
  });

  test('a missing build answers 503 with a hint instead of a blank page', async () => {
    const app = await buildTestApp({ h5Root: mkdtempSync(join(tmpdir(), 'linli-h5-empty-')) });
    try {
      const res = await app.inject('/');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('build:h5') });
    } finally {
      await app.close();
    }
  });
});

test('health turns unavailable when the database connection is gone', async () => {
  const app = await buildTestApp();
  try {
    await app.db.connection.close();
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', db: process.env.LINLI_TEST_DB_KIND });
  } finally {
    await app.close();
  }
});
