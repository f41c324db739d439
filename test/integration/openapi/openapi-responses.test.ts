// Real answers of a real server conform to GET /openapi.json: intake (201 pending, 200 decided within
// the wait, 200 settled by the policy), poll, list, decision, cancel, events, policy, health, and the
// errors (400, 401, 403, 404, 409, 415, 422). Each answer is checked twice: against the document as
// served (answers may gain fields) and against its closed variant, so a field the server sends but the
// shared schemas lack is caught too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '@countersign/server/openapi';
import { conformance, type Conformance } from '../../support/openapi-conformance';
import { seed001Sample } from '../../support/seeds';
import { ADMIN_REVIEW_KEY, call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../../support/test-server';

const ID = '/api/approvals/{approvalId}';

describe('real answers conform to the OpenAPI document', () => {
  let server: TestServer;
  let served: Conformance;
  let closed: Conformance;
  let adminKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    served = conformance((await call(`${server.url}/openapi.json`)).body);
    closed = conformance(openApiDocument({ closedResponses: true }));
    const home = (await server.app.workspaces.byName('default'))!;
    adminKey = (await server.app.workspaces.issueKey(home, 'admin', { label: 'openapi test' })).key;
  });
  afterAll(() => server?.close());

  const intakeHeaders = { 'x-api-key': INTAKE_KEY };
  const reviewHeaders = { authorization: `Bearer ${REVIEW_KEY}` };

  /** Asserts the answer's status, and that its body conforms to both variants of the document. */
  function expectConforms(method: string, path: string, answer: { status: number; body: unknown }, status: number) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(served.problems(method, path, status, answer.body)).toEqual([]);
    expect(closed.problems(method, path, status, answer.body)).toEqual([]);
  }

  async function intake(body: unknown = seed001Sample) {
    return call(`${server.url}/api/webhooks/inbound`, { headers: intakeHeaders, json: body });
  }

  it('intake 201 (pending), poll with the intake key, read with the review key, list, events', async () => {
    const created = await intake();
    expectConforms('POST', '/api/webhooks/inbound', created, 201);
    const id = created.body.approvalId;
    expectConforms('GET', ID, await call(`${server.url}/api/approvals/${id}`, { headers: intakeHeaders }), 200);
    // A personal review key: reviewers' reads say whether this reviewer may decide.
    const asReviewer = await call(`${server.url}/api/approvals/${id}`, { headers: { authorization: `Bearer ${ADMIN_REVIEW_KEY}` } });
    expectConforms('GET', ID, asReviewer, 200);
    expect(asReviewer.body.canDecide).toBe(true);
    const list = await call(`${server.url}/api/approvals?status=pending&ticketId=${seed001Sample.details.ticket_id}&limit=5`, { headers: reviewHeaders });
    expectConforms('GET', '/api/approvals', list, 200);
    expect(list.body.items.map((i: { approvalId: string }) => i.approvalId)).toContain(id);
    expectConforms('GET', `${ID}/events`, await call(`${server.url}/api/approvals/${id}/events`, { headers: intakeHeaders }), 200);
  });

  it('intake 200 when a reviewer decides within the wait, and the decision 200 with edited details', async () => {
    const waiting = intake({ ...seed001Sample, maxWaitMs: 20_000 });
    const id = await pendingId(seed001Sample.summary);
    const decision = await call(`${server.url}/api/approvals/${id}/decision`, {
      headers: reviewHeaders,
      json: { decision: 'approve', modifiedDetails: { churn_reason: 'Moving abroad' }, note: 'Confirmed by phone.', reviewer },
    });
    expectConforms('POST', `${ID}/decision`, decision, 200);
    expect(decision.body.changes).toEqual([{ path: 'churn_reason', from: seed001Sample.details.churn_reason, to: 'Moving abroad' }]);
    const released = await waiting;
    expectConforms('POST', '/api/webhooks/inbound', released, 200);
    expect(released.body.status).toBe('approved');
  });

  it('cancel 200, then 409 with the approval on a second cancel and on a decision', async () => {
    const id = (await intake()).body.approvalId;
    expectConforms('POST', `${ID}/cancel`, await call(`${server.url}/api/approvals/${id}/cancel`, { headers: intakeHeaders, json: { reason: 'sent twice' } }), 200);
    const again = await call(`${server.url}/api/approvals/${id}/cancel`, { headers: intakeHeaders, method: 'POST' });
    expectConforms('POST', `${ID}/cancel`, again, 409);
    const late = await call(`${server.url}/api/approvals/${id}/decision`, { headers: reviewHeaders, json: { decision: 'approve', reviewer } });
    expectConforms('POST', `${ID}/decision`, late, 409);
    expect(late.body.approval.status).toBe('cancelled');
  });

  it('the policy: GET, PUT, test, and intake 200 when a rule settles it at intake', async () => {
    const admin = { authorization: `Bearer ${adminKey}` };
    expectConforms('GET', '/api/policy', await call(`${server.url}/api/policy`, { headers: admin }), 200);
    const policy = { rules: [{ id: 'small-credits', when: { action: 'issue_credit', details: [{ path: 'amount', lte: 20 }] }, then: { decide: 'approve', note: 'Small credits are fine.' } }] };
    expectConforms('POST', '/api/policy/test', await call(`${server.url}/api/policy/test`, { headers: admin, json: { policy, since: '1d' } }), 200);
    expectConforms('PUT', '/api/policy', await call(`${server.url}/api/policy`, { method: 'PUT', headers: admin, json: policy }), 200);
    const settled = await intake({ action: 'issue_credit', summary: 'Credit 5.00 on ticket 77', details: { ticketId: '77', amount: '5.00' } });
    expectConforms('POST', '/api/webhooks/inbound', settled, 200);
    expect(settled.body.decidedBy).toMatchObject({ id: 'small-credits', via: 'policy' });
    const invalid = await call(`${server.url}/api/policy`, { method: 'PUT', headers: admin, json: { rules: [{ id: 'x', then: { approvals: 9 } }] } });
    expectConforms('PUT', '/api/policy', invalid, 422);
  });

  it('errors: 400 bad body, 401 no key, 403 wrong scope, 404 unknown id, 415 not JSON, 422 a number JSON cannot carry', async () => {
    expectConforms('POST', '/api/webhooks/inbound', await intake({ summary: 'no action', details: {} }), 400);
    expectConforms('GET', '/api/approvals', await call(`${server.url}/api/approvals`), 401);
    expectConforms('GET', '/api/approvals', await call(`${server.url}/api/approvals`, { headers: intakeHeaders }), 403);
    expectConforms('GET', ID, await call(`${server.url}/api/approvals/apr_00000000000000000000000000`, { headers: intakeHeaders }), 404);
    const notJson = await call(`${server.url}/api/webhooks/inbound`, { headers: { ...intakeHeaders, 'content-type': 'text/plain' }, body: 'refund please' });
    expectConforms('POST', '/api/webhooks/inbound', notJson, 415);
    const huge = await call(`${server.url}/api/webhooks/inbound`, {
      headers: { ...intakeHeaders, 'content-type': 'application/json' },
      body: '{"action":"process_refund","summary":"Refund","details":{"amount":1e400}}',
    });
    expectConforms('POST', '/api/webhooks/inbound', huge, 422);
    expect(huge.body.error.issues[0].path).toEqual(['details', 'amount']);
  });

  it('health and readiness', async () => {
    expectConforms('GET', '/healthz', await call(`${server.url}/healthz`), 200);
    expectConforms('GET', '/readyz', await call(`${server.url}/readyz`), 200);
  });

  it('catches an answer that breaks the document (the check can fail)', () => {
    expect(served.problems('GET', ID, 200, { approvalId: 'apr_x', status: 'APPROVED' }).length).toBeGreaterThan(0);
    expect(closed.problems('GET', '/healthz', 200, { status: 'ok', uptime: 5 }).length).toBeGreaterThan(0);
    expect(served.problems('GET', '/healthz', 200, { status: 'ok', uptime: 5 })).toEqual([]);
    expect(served.problems('GET', '/api/approvals', 200, { items: [{ approvalId: 'apr_x' }], nextCursor: null }).length).toBeGreaterThan(0);
    expect(served.problems('GET', ID, 418, {})).toEqual([`GET ${ID} documents no 418 answer`]);
  });

  /** The id of the newest pending request with this summary, once the reviewer's list shows it. */
  async function pendingId(summary: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const page = await server.review.listApprovals({ status: 'pending', limit: 5 });
      const found = page.items.find((item) => item.summary === summary);
      if (found) return found.approvalId;
      if (Date.now() > deadline) throw new Error('the waiting request never showed up in the list');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
