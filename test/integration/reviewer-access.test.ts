// What a reviewer's reads and decisions say about who may decide, on a real server with a policy:
// canDecide with the reason and its code (reviewer_not_eligible, self_approval, already_approved), a
// quorum approval answering 200 still pending for someone else, and the eligible reviewers in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { call, startTestServer, type TestServer } from '../support/test-server';

const POLICY = {
  rules: [
    { id: 'critical-two', when: { riskLevel: ['critical'] }, then: { approvals: 2, reviewers: { emails: ['ana@example.com', 'ben@example.com'], intercomTeams: ['55'] } } },
    { id: 'high-named', when: { riskLevel: ['high'] }, then: { reviewers: { ids: ['zendesk:381', 'api:ana'], zendeskRoles: ['admin', '360009'] } } },
  ],
};

describe('reviewers\' reads and decisions under a policy', () => {
  let server: TestServer;
  let workspace: WorkspaceRecord;
  let intakeKey: string;
  const keys: Record<'ana' | 'ben' | 'cho', string> = { ana: '', ben: '', cho: '' };

  beforeAll(async () => {
    server = await startTestServer();
    workspace = (await server.app.workspaces.create('acme-rules')).workspace;
    intakeKey = (await server.app.workspaces.issueKey(workspace, 'intake')).key;
    for (const id of ['ana', 'ben', 'cho'] as const) {
      keys[id] = (await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'personal', id, name: `${id[0]!.toUpperCase()}${id.slice(1)}`, email: `${id}@example.com` } })).key;
    }
    const admin = (await server.app.workspaces.issueKey(workspace, 'admin')).key;
    const set = await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${admin}` }, json: POLICY });
    expect(set.status).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
  });

  async function request(riskLevel: string, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await call(`${server.url}/api/webhooks/inbound`, {
      headers: { authorization: `Bearer ${intakeKey}` },
      json: { action: 'cancel_subscription', summary: 'Cancel the Premium plan', details: { plan: 'Premium' }, riskLevel, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body.approvalId as string;
  }
  const read = (who: keyof typeof keys, id: string) => call(`${server.url}/api/approvals/${id}`, { headers: { authorization: `Bearer ${keys[who]}` } });
  const approve = (who: keyof typeof keys, id: string) => call(`${server.url}/api/approvals/${id}/decision`, { headers: { authorization: `Bearer ${keys[who]}` }, json: { decision: 'approve' } });

  it('says whether each reviewer may decide, with the reason and its code; the list agrees', async () => {
    const id = await request('critical', { requestedBy: { email: 'ben@example.com' } });
    const ana = await read('ana', id);
    expect(ana.body).toMatchObject({
      canDecide: true,
      cannotDecideReason: null,
      cannotDecideCode: null,
      policy: { ruleId: 'critical-two', approvalsRequired: 2, reviewers: { emails: ['ana@example.com', 'ben@example.com'], intercomTeams: ['55'] } },
      approvals: [],
    });
    expect((await read('ben', id)).body).toMatchObject({ canDecide: false, cannotDecideCode: 'self_approval', cannotDecideReason: 'You asked for this request, so someone else must decide it (four eyes).' });
    const cho = await read('cho', id);
    expect(cho.body).toMatchObject({
      canDecide: false,
      cannotDecideCode: 'reviewer_not_eligible',
      cannotDecideReason: 'Only ana@example.com, ben@example.com or members of Intercom team 55 may decide this request (policy rule "critical-two").',
    });
    const listed = await call(`${server.url}/api/approvals?status=pending&limit=100`, { headers: { authorization: `Bearer ${keys.cho}` } });
    expect(listed.body.items.find((item: { approvalId: string }) => item.approvalId === id)).toMatchObject({ canDecide: false, cannotDecideCode: 'reviewer_not_eligible' });
  });

  it('names eligible reviewers in words an agent reads: people by channel, Zendesk roles', async () => {
    const id = await request('high');
    expect((await read('cho', id)).body.cannotDecideReason).toBe(
      'Only Zendesk user 381, API reviewer ana, Zendesk admins or Zendesk agents with custom role 360009 may decide this request (policy rule "high-named").',
    );
    expect((await read('ana', id)).body).toMatchObject({ canDecide: true });
  });

  it('an approval that does not settle answers 200 pending, saying this reviewer\'s approval is recorded; again is 409 already_approved', async () => {
    const id = await request('critical');
    const first = await approve('ana', id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'pending',
      approvals: [{ reviewer: { id: 'ana', via: 'api' } }],
      canDecide: false,
      cannotDecideCode: 'already_approved',
      cannotDecideReason: 'Your approval is recorded; 1 more approval from other reviewers must follow.',
    });
    expect((await read('ana', id)).body).toMatchObject({ canDecide: false, cannotDecideCode: 'already_approved' });
    expect((await read('ben', id)).body).toMatchObject({ canDecide: true, cannotDecideCode: null });

    const again = await approve('ana', id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_approved');
    expect(again.body.approval).toMatchObject({ status: 'pending', approvals: [{ reviewer: { id: 'ana' } }] });

    const settling = await approve('ben', id);
    expect(settling.body).toMatchObject({ status: 'approved', approvals: [{ reviewer: { id: 'ana' } }, { reviewer: { id: 'ben' } }], canDecide: false, cannotDecideCode: 'not_pending' });
  });

  it('a delegating key\'s reads and decisions say nothing in advance: its tool names the reviewer each time', async () => {
    const id = await request('critical');
    const delegating = (await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } })).key;
    const headers = { authorization: `Bearer ${delegating}` };
    const read = await call(`${server.url}/api/approvals/${id}`, { headers });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('canDecide');
    const decided = await call(`${server.url}/api/approvals/${id}/decision`, { headers, json: { decision: 'approve', reviewer: { id: 'dee', name: 'Dee', email: 'ana@example.com', via: 'api' } } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'pending', approvals: [{ reviewer: { id: 'dee' } }] });
    expect(decided.body).not.toHaveProperty('canDecide');
  });
});
