// Security headers, request ids and body limits on every kind of endpoint.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERCOM_SECRET } from '../support/intercom-notifications';
import { builtPageAsset } from '../support/playground-build';
import { call, INTAKE_KEY, startTestServer, type TestServer } from '../support/test-server';

describe('HTTP hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { INTERCOM_CLIENT_ID: 'client-id', INTERCOM_CLIENT_SECRET: INTERCOM_SECRET, COUNTERSIGN_BODY_LIMIT_KB: '8' } });
  });
  afterAll(() => server.close());

  const endpoints: Array<[string, string, Record<string, string>?]> = [
    ['GET', '/'],
    ['GET', '/healthz'],
    ['POST', '/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }],
    ['GET', '/api/approvals/apr_nope'],
    ['POST', '/webhooks/intercom'],
    ['POST', '/intercom/canvas/initialize'],
    ['GET', '/intercom/oauth/callback?code=x&state=y'],
    ['GET', '/approvals/apr_nope/view?t=x'],
    ['GET', '/no/such/route'],
  ];

  it.each(endpoints)('%s %s answers with the security headers and a request id', async (method, path, headers) => {
    const response = await call(`${server.url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    expect(response.status).toBeLessThan(500);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Never cached, so no validator is computed from the body.
    expect(response.headers.get('etag')).toBeNull();
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    if (response.status >= 400 && typeof response.body === 'object') expect(response.body.error.requestId).toBe(requestId);
  });

  it.each([
    ['/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }],
    ['/webhooks/intercom', {}],
    ['/intercom/canvas/initialize', {}],
    ['/intercom/canvas/submit', {}],
  ] as Array<[string, Record<string, string>]>)('refuses a body over the configured limit on %s with 413 and the error shape', async (path, headers) => {
    const body = JSON.stringify({ padding: 'x'.repeat(9 * 1024) });
    const response = await call(`${server.url}${path}`, { headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'payload_too_large', requestId: response.headers.get('x-request-id') } });
  });

  it('keeps an idle keep-alive connection open past Node\'s 5 s default, as load balancers that reuse theirs for up to 60 s expect', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = http.get(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
        });
        req.on('error', reject);
      });
    try {
      const first = await get();
      let closed = false;
      (first.socket as import('node:net').Socket).once('close', () => (closed = true));
      await new Promise((r) => setTimeout(r, 6500));
      expect(closed).toBe(false);
      const second = await get();
      expect(second.status).toBe(200);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('lets only static files be cached; the playground\'s pages, answers and errors are no-store', async () => {
    const playground = await startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true' } });
    try {
      const get = (path: string) => call(`${playground.url}${path}`);
      const asset = await get(builtPageAsset('index.html'));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=0');
      expect(asset.headers.get('etag')).toBeTruthy();
      for (const path of ['/playground', '/playground/api/config', '/playground/api/receiver', '/playground/static/no-such-file.js', '/playground/zendesk-app/no-such-file.js']) {
        expect((await get(path)).headers.get('cache-control'), path).toBe('no-store');
      }
    } finally {
      await playground.close();
    }
  });

  it('sends HSTS and upgrades insecure requests only when the public URL is https', async () => {
    const https = await startTestServer({ env: { COUNTERSIGN_PUBLIC_URL: 'https://countersign.example.com' } });
    try {
      const response = await call(`http://127.0.0.1:${https.app.port}/healthz`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      expect((await call(`${server.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await https.close();
    }
  });
});
