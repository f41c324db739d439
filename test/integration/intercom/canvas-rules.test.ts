// The inbox canvas over a real server with a policy: the signed teammate's access to each request
// (their teams from the signed request), a quorum approval recorded and pending, the settling second
// approval, a teammate the rule does not name, and a request the policy decided at intake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCanvasBody, type CanvasObject } from '@countersign/intercom-canvas';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import { FakeIntercom } from '../../support/fake-intercom';
import { INTERCOM_SECRET } from '../../support/intercom-notifications';
import { call, startTestServer, type TestServer } from '../../support/test-server';

const APP_ID = 'ic_app_rules';
const CONVERSATION = '9100';
const RILEY = { type: 'admin', id: '7001', name: 'Riley Teammate', email: 'riley@acme.example', team_ids: [55] };
const SAM = { type: 'admin', id: '7002', name: 'Sam Teammate', email: 'sam@acme.example', team_ids: ['55', '60'] };
const OUTSIDER = { type: 'admin', id: '7003', name: 'Olu Outsider', email: 'olu@acme.example', team_ids: [60] };
const POLICY = {
  rules: [
    { id: 'small-refunds', when: { action: 'process_refund', details: [{ path: 'amount', lte: 20 }] }, then: { decide: 'approve', note: 'Refunds up to 20 are approved automatically.' } },
    { id: 'refunds-two', when: { action: 'process_refund' }, then: { approvals: 2, reviewers: { intercomTeams: ['55'] } } },
  ],
};

const texts = (canvas: CanvasObject) => canvas.content.components.flatMap((c) => (c.type === 'text' ? [c.text.replace(/\\(.)/g, '$1')] : []));
const button = (canvas: CanvasObject, id: string) => canvas.content.components.find((c) => c.type === 'button' && c.id === id) as { disabled?: boolean } | undefined;

describe('the inbox canvas under a policy', () => {
  const fakeIntercom = new FakeIntercom();
  let server: TestServer;
  let intakeKey: string;

  beforeAll(async () => {
    await fakeIntercom.start();
    server = await startTestServer({ env: { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET, INTERCOM_API_URL: fakeIntercom.url } });
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    const created = (await server.app.workspaces.create('acme-inbox-rules')).workspace;
    const workspace = await intercom.setLink(created, { workspaceId: APP_ID, region: 'EU', adminId: '7001', gatedTopics: [], callbackUrl: 'https://automation.example/intercom' }, fakeIntercom.token);
    intakeKey = (await server.app.workspaces.issueKey(workspace, 'intake')).key;
    const admin = (await server.app.workspaces.issueKey(workspace, 'admin')).key;
    expect((await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${admin}` }, json: POLICY })).status).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
    await fakeIntercom.stop();
  });

  async function refund(amount: number) {
    const created = await call(`${server.url}/api/webhooks/inbound`, {
      headers: { authorization: `Bearer ${intakeKey}` },
      json: { action: 'process_refund', summary: `Refund ${amount}`, details: { amount }, context: { platform: 'intercom', conversationId: CONVERSATION } },
    });
    expect([200, 201]).toContain(created.status);
    return created.body as { approvalId: string; status: string };
  }

  async function submit(admin: Record<string, unknown>, componentId: string, extra: Record<string, unknown> = {}): Promise<CanvasObject> {
    const body = JSON.stringify({
      workspace_id: APP_ID,
      admin,
      conversation: { type: 'conversation', id: CONVERSATION },
      component_id: componentId,
      input_values: {},
      current_canvas: { content: { components: [] } },
      ...extra,
    });
    const answer = await call(`${server.url}/intercom/canvas/submit`, { headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(INTERCOM_SECRET, body) }, body });
    expect(answer.status).toBe(200);
    return answer.body.canvas as CanvasObject;
  }

  it('a teammate in the rule\'s team may decide: what it needs, buttons enabled', async () => {
    const { approvalId } = await refund(120);
    const canvas = await submit(RILEY, `open:${approvalId}`);
    expect(texts(canvas)).toContain('2 approvals needed from Intercom team 55.');
    expect(texts(canvas)).toContain('Rule: refunds-two');
    expect(button(canvas, `approve:${approvalId}`)).toBeDefined();
    expect(button(canvas, `approve:${approvalId}`)?.disabled).toBeUndefined();
  });

  it('a teammate outside it sees the buttons disabled with Countersign\'s reason, and a stale Approve changes nothing', async () => {
    const { approvalId } = await refund(130);
    const canvas = await submit(OUTSIDER, `open:${approvalId}`);
    expect(texts(canvas)).toContain('**You are not a reviewer for this request**');
    expect(texts(canvas)).toContain('Only members of Intercom team 55 may decide this request (policy rule "refunds-two").');
    for (const verb of ['approve', 'edit', 'reject']) expect(button(canvas, `${verb}:${approvalId}`)?.disabled).toBe(true);
    await submit(OUTSIDER, `approve:${approvalId}`);
    expect((await server.app.store.approvals.get((await server.app.workspaces.byName('acme-inbox-rules')).id, approvalId))?.approvals).toEqual([]);
  });

  it('the first approval is recorded and the request stays pending; the second teammate\'s settles it, by both', async () => {
    const { approvalId } = await refund(140);
    const recorded = await submit(RILEY, `approve:${approvalId}`);
    expect(texts(recorded)).toContain('**Your approval is recorded; 1 more approval is needed.**');
    expect(texts(recorded)).toContain('2 approvals needed: Riley Teammate approved, 1 more from Intercom team 55.');
    expect(button(recorded, `approve:${approvalId}`)?.disabled).toBe(true);

    const again = await submit(RILEY, `approve:${approvalId}`);
    expect(texts(again)).toContain('**Your approval is recorded; 1 more approval is needed.**');

    const settled = await submit(SAM, `approve:${approvalId}`);
    expect(texts(settled)).toContain('**Approved**');
    expect(texts(settled)).toContain('Approved by Riley Teammate and Sam Teammate');
    expect(texts(settled)).toContain('Decided by Sam Teammate (sam@acme.example)');
  });

  it('a request the policy decided at intake shows the rule as the decider, in German when Intercom says so', async () => {
    const { approvalId, status } = await refund(12);
    expect(status).toBe('approved');
    const canvas = await submit(RILEY, `open:${approvalId}`);
    expect(texts(canvas)).toContain('Approved automatically by rule small-refunds');
    const german = await submit(RILEY, `open:${approvalId}`, { context: { locale: 'de' } });
    expect(texts(german)).toContain('Automatisch freigegeben durch die Regel small-refunds');
    expect(texts(german)).toContain('**Freigegeben**');
  });
});
