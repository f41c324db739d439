import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolve } from '@countersign/server/outbound';
import { deliveryAttempts } from '../../support/audit-trail';
import { seed000Filled, seed000ZendeskTrigger, seed001Async, seed001Sample } from '../../support/seeds';
import { startServerAndReceiver } from '../../support/server-and-receiver';
import { call, INTAKE_KEY, reviewer, startTestServer, type TestServer } from '../../support/test-server';
import { makeTempDir } from '../../support/temp-dir';

/** A DNS stand-in: `rebind.example` answers public at intake and loopback afterwards. */
function resolver(): Resolve {
  let rebindCalls = 0;
  return async (host) => {
    if (host === 'loopback.example') return ['127.0.0.1'];
    if (host === 'mixed.example') return ['93.184.216.34', '10.0.0.7'];
    if (host === 'rebind.example') return rebindCalls++ === 0 ? ['93.184.216.34'] : ['127.0.0.1'];
    throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
}

describe('callback URL safety', () => {
  // Every callback here is refused before any connection: no receiver is needed.
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'false' }, resolve: resolver() });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    'http://127.0.0.1:9/cb', 'http://[::1]/cb', 'http://10.1.2.3/cb', 'http://172.16.5.4/cb', 'http://192.168.1.1/cb',
    'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/cb', 'http://0.0.0.0/cb', 'http://[::ffff:127.0.0.1]/cb',
    'http://[::ffff:a9fe:a9fe]/cb', 'http://2130706433/cb', 'http://0177.0.0.1/cb', 'http://0x7f000001/cb', 'http://localhost/cb',
    'https://loopback.example/cb', 'https://mixed.example/cb', 'file:///etc/passwd', 'gopher://example.com/',
  ])('refuses %s at intake', async (url) => {
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: { ...seed001Sample, callbackUrl: url } });
    expect([400, 422]).toContain(response.status);
    expect(response.body.error.code).toMatch(/callback_url_refused|invalid_request/);
  });

  it.each([
    ['seed 000 trigger', seed000ZendeskTrigger],
    ['seed 001 sample', seed001Sample],
    ['seed 001 async', seed001Async],
  ])('accepts the %s verbatim with the guard on (a public host that does not resolve yet is checked again at send time)', async (_name, body) => {
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': INTAKE_KEY }, json: body });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('pending');
  });

  it('never connects when a name resolves to loopback at send time (DNS rebinding)', async () => {
    const { approval } = await server.intake.createApproval({ ...seed001Sample, callbackUrl: 'http://rebind.example/cb' });
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const [attempt] = await deliveryAttempts(server, approval.approvalId, 1);
    expect(attempt).toMatchObject({ outcome: 'retrying', statusCode: null, error: 'refused to connect: rebind.example resolves to a private or reserved address' });
  });
});

describe('callback URL safety at connect time', () => {
  it('refuses a stored private callback once private callbacks are no longer allowed', async () => {
    const temp = makeTempDir('ssrf-connect');
    const { server: permissive, receiver, close } = await startServerAndReceiver({ dataDir: temp.dir });
    try {
      const { approval } = await permissive.intake.createApproval(seed000Filled('1', `${receiver.url}/cb`));
      await permissive.stop();

      const strict = await startTestServer({ dataDir: temp.dir, env: { COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'false' } });
      try {
        await strict.review.decide(approval.approvalId, { decision: 'approve', reviewer });
        const [attempt] = await deliveryAttempts(strict, approval.approvalId, 1);
        expect(attempt).toMatchObject({ outcome: 'retrying', error: 'refused to connect to private or reserved address 127.0.0.1' });
        expect(receiver.received).toHaveLength(0);
      } finally {
        await strict.stop();
      }
    } finally {
      await close();
      temp.remove();
    }
  });
});
