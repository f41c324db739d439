import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@countersign/shared';
import { seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('bad input', () => {
  let server: TestServer;
  let approvalId: string;
  let before: unknown;

  beforeAll(async () => {
    server = await startTestServer();
    approvalId = (await server.intake.createApproval(seed001Sample)).approval.approvalId;
    before = await server.app.store.approvals.get((await server.app.store.workspaces.findByName('default'))!.id, approvalId);
  });
  afterAll(async () => {
    // Nothing stored was altered by any of it.
    const after = await server.app.store.approvals.get((await server.app.store.workspaces.findByName('default'))!.id, approvalId);
    expect(after).toEqual(before);
    await server.close();
  });

  const intake = { 'x-api-key': INTAKE_KEY };
  const review = { authorization: `Bearer ${REVIEW_KEY}` };
  const expectError = (response: { status: number; body: unknown; headers: Headers }, status: number, code?: string) => {
    expect(response.status).toBe(status);
    const parsed = ErrorBody.parse(response.body);
    if (code) expect(parsed.error.code).toBe(code);
    expect(parsed.error.requestId).toBe(response.headers.get('x-request-id'));
    return parsed;
  };

  it.each([
    ['truncated JSON', '{"action":"x",', 'invalid_json'],
    ['not JSON', 'action=x', 'invalid_json'],
    ['a JSON array', '[1,2]', 'invalid_request'],
    ['a JSON string', '"hello"', 'invalid_request'],
    ['null', 'null', 'invalid_request'],
    ['a __proto__ key', '{"action":"x","summary":"y","details":{"__proto__":{"admin":true}}}', 'forbidden_key'],
  ])('answers %s with 400', async (_label, body, code) => {
    expectError(await call(`${server.url}/api/webhooks/inbound`, { headers: { ...intake, 'content-type': 'application/json' }, body }), 400, code);
  });

  it('reports every zod issue for wrong types and missing fields', async () => {
    const response = await call(`${server.url}/api/webhooks/inbound`, { headers: intake, json: { action: 5, details: 'nope', riskLevel: 'extreme', maxWaitMs: -1 } });
    const error = expectError(response, 400, 'invalid_request');
    expect(error.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['action', 'details', 'maxWaitMs', 'riskLevel', 'summary']);
  });

  it('answers unsupported content types with 415', async () => {
    expectError(await call(`${server.url}/api/webhooks/inbound`, { headers: { ...intake, 'content-type': 'text/plain' }, body: JSON.stringify(seed001Sample) }), 415, 'unsupported_media_type');
    expectError(await call(`${server.url}/api/webhooks/inbound`, { headers: { ...intake, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }), 415);
    expectError(await call(`${server.url}/api/webhooks/inbound`, { headers: { ...intake, 'content-type': 'application/json; charset=latin1' }, body: '{}' }), 415, 'unsupported_charset');
  });

  it('answers an empty body with 400 and an oversized one with 413', async () => {
    expectError(await call(`${server.url}/api/webhooks/inbound`, { method: 'POST', headers: { ...intake, 'content-type': 'application/json' } }), 400, 'empty_body');
    const huge = { ...seed001Sample, details: { blob: 'x'.repeat(300 * 1024) } };
    expectError(await call(`${server.url}/api/webhooks/inbound`, { headers: intake, json: huge }), 413, 'payload_too_large');
  });

  it('refuses details nested deeper than 32 levels', async () => {
    const nested = (depth: number) => '{"d":'.repeat(depth) + '1' + '}'.repeat(depth);
    const body = (depth: number) => `{"action":"a","summary":"s","details":${nested(depth)}}`;
    const post = (depth: number) => call(`${server.url}/api/webhooks/inbound`, { headers: { ...intake, 'content-type': 'application/json' }, body: body(depth) });
    expectError(await post(33), 400, 'invalid_request');
    expectError(await post(40_000), 400, 'too_deeply_nested'); // ~240 KB, just under the body limit
    expect((await post(31)).status).toBe(201);
  });

  it('refuses unknown fields and malformed values in a decision', async () => {
    const url = `${server.url}/api/approvals/${approvalId}/decision`;
    expectError(await call(url, { headers: review, json: { decision: 'approve', reviewer, approved: true } }), 400, 'invalid_request');
    expectError(await call(url, { headers: review, json: { decision: 'approve' } }), 400, 'reviewer_required');
    expectError(await call(url, { headers: review, json: { decision: 'approve', reviewer: { ...reviewer, via: 'slack' } } }), 403, 'reviewer_mismatch');
    expectError(await call(url, { headers: review, json: { decision: 'reject', reviewer, modifiedDetails: { amount: 1 } } }), 400);
    expectError(await call(url, { headers: review, json: { decision: 'approve', reviewer, modifiedDetails: [1] } }), 400);
  });

  it('answers malformed and unknown approval ids with 404', async () => {
    for (const id of ['nope', 'apr_', 'apr_01m84s3ssrr83ea26r2ar2de9', 'apr_01m84s3ssrr83ea26r2ar2de9p', '%00', "apr_01m84s3ssrr83ea26r2ar2de9p' OR 1=1"]) {
      expectError(await call(`${server.url}/api/approvals/${encodeURIComponent(id)}`, { headers: intake }), 404, 'approval_not_found');
    }
    expectError(await call(`${server.url}/api/approvals/nope/decision`, { headers: review, json: { decision: 'approve', reviewer } }), 404);
  });

  it('answers bad list queries and cursors with 400', async () => {
    expectError(await call(`${server.url}/api/approvals?cursor=garbage!`, { headers: review }), 400, 'invalid_cursor');
    expectError(await call(`${server.url}/api/approvals?cursor=Zm9v`, { headers: review }), 400, 'invalid_cursor');
    expectError(await call(`${server.url}/api/approvals?status=maybe`, { headers: review }), 400, 'invalid_request');
    expectError(await call(`${server.url}/api/approvals?limit=0`, { headers: review }), 400);
    expectError(await call(`${server.url}/api/approvals?limit=1000`, { headers: review }), 400);
    expectError(await call(`${server.url}/api/approvals?status=pending&status=approved`, { headers: review }), 400);
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expectError(await call(`${server.url}/api/nothing`), 404, 'route_not_found');
    const response = await call(`${server.url}/api/webhooks/inbound`, { method: 'GET', headers: intake });
    expectError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('pages through a list with the cursor it hands out', async () => {
    for (let i = 0; i < 5; i++) await server.intake.createApproval({ ...seed001Sample, details: { ticket_id: 'page-me', n: i } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await server.review.listApprovals({ ticketId: 'page-me', limit: 2, cursor });
      seen.push(...page.items.map((a) => String(a.details.n)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['4', '3', '2', '1', '0']);
  });
});
