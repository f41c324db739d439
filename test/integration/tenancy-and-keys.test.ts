import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed001Sample } from '../support/seeds';
import { call, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';

describe('keys and tenancy', () => {
  let server: TestServer;
  let approvalId: string;
  let other: { intake: string; review: string };

  beforeAll(async () => {
    server = await startTestServer();
    approvalId = (await server.intake.createApproval(seed001Sample)).approval.approvalId;
    const { workspace } = await server.app.workspaces.create('globex');
    other = {
      intake: (await server.app.workspaces.issueKey(workspace, 'intake')).key,
      review: (await server.app.workspaces.issueKey(workspace, 'review')).key,
    };
  });
  afterAll(async () => {
    await server.close();
  });

  const url = (path: string) => `${server.url}${path}`;
  const decision = { decision: 'approve', reviewer };

  it('refuses requests without a key, or with an unknown one, with 401', async () => {
    for (const headers of <Array<Record<string, string>>>[{}, { 'x-api-key': 'cs_live_nope' }, { authorization: 'Bearer nope' }, { authorization: 'Basic Zm9vOmJhcg==' }, { 'x-api-key': 'x'.repeat(5000) }]) {
      const response = await call(url('/api/webhooks/inbound'), { headers, json: seed001Sample });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toMatch(/missing_credentials|invalid_credentials/);
    }
  });

  it('lets an intake key create, read and cancel but not list or decide', async () => {
    const headers = { 'x-api-key': INTAKE_KEY };
    expect((await call(url(`/api/approvals/${approvalId}`), { headers })).status).toBe(200);
    expect((await call(url(`/api/approvals/${approvalId}/events`), { headers })).status).toBe(200);
    const list = await call(url('/api/approvals'), { headers });
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('wrong_key_scope');
    expect((await call(url(`/api/approvals/${approvalId}/decision`), { headers, json: decision })).status).toBe(403);
    expect((await server.intake.getApproval(approvalId)).status).toBe('pending');
  });

  it('lets a review key list and decide but never create or cancel (an AI must not approve itself)', async () => {
    const headers = { authorization: `Bearer ${REVIEW_KEY}` };
    expect((await call(url('/api/webhooks/inbound'), { headers, json: seed001Sample })).status).toBe(403);
    expect((await call(url(`/api/approvals/${approvalId}/cancel`), { headers, json: {} })).status).toBe(403);
    expect((await call(url('/api/approvals'), { headers })).status).toBe(200);
    expect((await call(url(`/api/approvals/${approvalId}`), { headers })).status).toBe(200);
  });

  it('answers another workspace’s approval with 404, whatever the key', async () => {
    for (const headers of <Array<Record<string, string>>>[{ 'x-api-key': other.intake }, { authorization: `Bearer ${other.review}` }]) {
      expect((await call(url(`/api/approvals/${approvalId}`), { headers })).status).toBe(404);
      expect((await call(url(`/api/approvals/${approvalId}/events`), { headers })).status).toBe(404);
    }
    expect((await call(url(`/api/approvals/${approvalId}/decision`), { headers: { authorization: `Bearer ${other.review}` }, json: decision })).status).toBe(404);
    expect((await call(url(`/api/approvals/${approvalId}/cancel`), { headers: { 'x-api-key': other.intake }, json: {} })).status).toBe(404);
    const list = await call(url('/api/approvals'), { headers: { authorization: `Bearer ${other.review}` } });
    expect(list.body.items).toEqual([]);
    expect((await server.intake.getApproval(approvalId)).status).toBe('pending');
  });

  it('answers another intake key’s approval of the same workspace with 404, exactly like an unknown id', async () => {
    const home = await server.app.workspaces.byName('default');
    const sibling = { 'x-api-key': (await server.app.workspaces.issueKey(home, 'intake', { label: 'second automation' })).key };
    const unknown = 'apr_01m84s3ssrr83ea26r2ar2de9p';
    for (const path of ['', '/events']) {
      const theirs = await call(url(`/api/approvals/${approvalId}${path}`), { headers: sibling });
      const none = await call(url(`/api/approvals/${unknown}${path}`), { headers: sibling });
      expect(theirs.status).toBe(404);
      expect({ ...theirs.body.error, requestId: undefined }).toEqual({ ...none.body.error, requestId: undefined });
    }
    const cancel = await call(url(`/api/approvals/${approvalId}/cancel`), { headers: sibling, json: {} });
    expect(cancel.status).toBe(404);
    expect((await server.intake.getApproval(approvalId)).status).toBe('pending');
    // Its own requests it reads and cancels as before; a review key still sees the whole workspace.
    const own = await call(url('/api/webhooks/inbound'), { headers: sibling, json: seed001Sample });
    expect((await call(url(`/api/approvals/${own.body.approvalId}`), { headers: sibling })).status).toBe(200);
    expect((await call(url(`/api/approvals/${own.body.approvalId}`), { headers: { 'x-api-key': INTAKE_KEY } })).status).toBe(404);
    expect((await call(url(`/api/approvals/${own.body.approvalId}`), { headers: { authorization: `Bearer ${REVIEW_KEY}` } })).status).toBe(200);
    expect((await call(url(`/api/approvals/${own.body.approvalId}/cancel`), { headers: sibling, json: {} })).body.status).toBe('cancelled');
  });

  it('refuses to replay another intake key’s Idempotency-Key: the replay would show its request', async () => {
    const home = await server.app.workspaces.byName('default');
    const sibling = { 'x-api-key': (await server.app.workspaces.issueKey(home, 'intake')).key };
    const idempotency = { 'idempotency-key': `tenancy-${Date.now()}` };
    const first = await call(url('/api/webhooks/inbound'), { headers: { 'x-api-key': INTAKE_KEY, ...idempotency }, json: seed001Sample });
    expect(first.status).toBe(201);
    const replay = await call(url('/api/webhooks/inbound'), { headers: { ...sibling, ...idempotency }, json: seed001Sample });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('idempotency_key_reused');
    expect(JSON.stringify(replay.body)).not.toContain(first.body.approvalId);
  });

  it('stops accepting a key the moment it is revoked', async () => {
    const { workspace } = await server.app.workspaces.create('initech');
    const { key, record } = await server.app.workspaces.issueKey(workspace, 'intake');
    expect((await call(url('/api/webhooks/inbound'), { headers: { 'x-api-key': key }, json: seed001Sample })).status).toBe(201);
    await server.app.store.keys.revoke(record.id, Date.now());
    expect((await call(url('/api/webhooks/inbound'), { headers: { 'x-api-key': key }, json: seed001Sample })).status).toBe(401);
  });

  it('stores keys only as hashes', async () => {
    const keys = await server.app.store.keys.list();
    for (const k of keys) {
      expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(k)).not.toContain(INTAKE_KEY);
      expect(JSON.stringify(k)).not.toContain(REVIEW_KEY);
    }
  });
});
