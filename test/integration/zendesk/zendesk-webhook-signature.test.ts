import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed000Filled } from '../../support/seeds';
import { call, startTestServer, type TestServer } from '../../support/test-server';
import { ZENDESK_SIGNING_SECRET, zendeskHeaders, zendeskWorkspace, type ZendeskWorkspace } from '../../support/zendesk-workspace';

describe('Zendesk webhook signatures on intake', () => {
  let server: TestServer;
  let signed: ZendeskWorkspace;
  const body = JSON.stringify(seed000Filled('9921', 'https://automation.example/decision'));

  beforeAll(async () => {
    server = await startTestServer();
    signed = await zendeskWorkspace(server, 'signed', { signingSecret: ZENDESK_SIGNING_SECRET });
  });
  afterAll(() => server.close());

  const post = (headers: Record<string, string>, payload = body) =>
    call(`${server.url}/api/webhooks/inbound`, { headers: { 'content-type': 'application/json', 'x-api-key': signed.intakeKey, ...headers }, body: payload });
  const storedCount = async () => (await server.app.store.approvals.list(signed.workspace.id, {}, 100)).length;

  it('accepts a request signed the way Zendesk signs: base64 HMAC-SHA256 of timestamp + body', async () => {
    const response = await post(zendeskHeaders(body));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', context: { platform: 'zendesk', ticketId: '9921' } });
  });

  it.each([
    ['no signature headers', () => ({}), 'zendesk_signature_missing'],
    ['a body changed after signing', () => zendeskHeaders(body.replace('49.00', '4900.00')), 'zendesk_signature_mismatch'],
    ['another secret', () => zendeskHeaders(body, { secret: 'someone_elses_signing_secret_value' }), 'zendesk_signature_mismatch'],
    ['a timestamp 6 minutes old', () => zendeskHeaders(body, { at: new Date(Date.now() - 6 * 60_000) }), 'zendesk_signature_stale'],
    ['a timestamp 6 minutes ahead', () => zendeskHeaders(body, { at: new Date(Date.now() + 6 * 60_000) }), 'zendesk_signature_stale'],
    ['a timestamp that is not a time', () => ({ ...zendeskHeaders(body), 'x-zendesk-webhook-signature-timestamp': 'yesterday' }), 'zendesk_signature_malformed_timestamp'],
    ['a hex digest instead of base64', () => hexSigned(body), 'zendesk_signature_mismatch'],
    ['a "." between timestamp and body', () => dotSigned(body), 'zendesk_signature_mismatch'],
    ['a truncated signature', () => { const h = zendeskHeaders(body); h['x-zendesk-webhook-signature'] = h['x-zendesk-webhook-signature']!.slice(0, 20); return h; }, 'zendesk_signature_mismatch'],
    // Found by test/proof/signatures.test.ts: a lenient base64 decode accepted these as the genuine signature.
    ['a signature with characters appended after the padding', () => { const h = zendeskHeaders(body); h['x-zendesk-webhook-signature'] += 'AAAA'; return h; }, 'zendesk_signature_mismatch'],
    ['a signature without its padding', () => { const h = zendeskHeaders(body); h['x-zendesk-webhook-signature'] = h['x-zendesk-webhook-signature']!.replace(/=+$/, ''); return h; }, 'zendesk_signature_mismatch'],
  ])('refuses %s with 401 and stores nothing', async (_name, headers, code) => {
    const before = await storedCount();
    const response = await post(headers());
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toContain(ZENDESK_SIGNING_SECRET);
    expect(await storedCount()).toBe(before);
  });

  it('checks the signature before reading the body: unsigned garbage is a 401, not a 400', async () => {
    expect((await post({}, '{"not json')).status).toBe(401);
  });

  it('answers a retried invocation with the approval it already created', async () => {
    // Signed at distinct times: the same body signed in the same second is the same signature.
    const first = await post(zendeskHeaders(body, { invocationId: 'inv-01HZX', at: new Date(Date.now() - 30_000) }));
    const retry = await post(zendeskHeaders(body, { invocationId: 'inv-01HZX', at: new Date(Date.now() - 20_000) }));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.approvalId).toBe(first.body.approvalId);
  });

  it('refuses a captured signed request re-sent with another or no invocation id, within the tolerance, with 409', async () => {
    const captured = zendeskHeaders(body, { invocationId: 'inv-captured', at: new Date(Date.now() - 60_000) });
    expect((await post(captured)).status).toBe(201);
    const before = await storedCount();
    for (const replay of [{ ...captured, 'x-zendesk-webhook-invocation-id': 'inv-forged' }, Object.fromEntries(Object.entries(captured).filter(([name]) => name !== 'x-zendesk-webhook-invocation-id'))]) {
      const response = await post(replay);
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('zendesk_signature_replayed');
    }
    expect(await storedCount()).toBe(before);
    // The genuine retry, with the original invocation id, still gets its approval.
    expect((await post(captured)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('leaves workspaces without a signing secret alone', async () => {
    const { approval } = await server.intake.createApproval(JSON.parse(body));
    expect(approval.status).toBe('pending');
  });
});

function hexSigned(body: string): Record<string, string> {
  const headers = zendeskHeaders(body);
  headers['x-zendesk-webhook-signature'] = createHmac('sha256', ZENDESK_SIGNING_SECRET).update(headers['x-zendesk-webhook-signature-timestamp']! + body).digest('hex');
  return headers;
}

function dotSigned(body: string): Record<string, string> {
  const headers = zendeskHeaders(body);
  headers['x-zendesk-webhook-signature'] = createHmac('sha256', ZENDESK_SIGNING_SECRET).update(`${headers['x-zendesk-webhook-signature-timestamp']!}.${body}`).digest('base64');
  return headers;
}
