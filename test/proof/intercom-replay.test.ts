// Evidence: a captured, correctly signed Intercom notification cannot be replayed once its duplicate
// record is gone. Story: a `conversation.admin.closed` was delivered 30 days ago and processed; its
// record in processed_events was pruned after the de-duplication window (7 days); now an attacker
// who kept the body re-sends it, signature and all. It must be acknowledged (200) and cancel
// nothing. The control: the same notification, freshly dated, does cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { FakeIntercom } from '../support/fake-intercom';
import { INTERCOM_SECRET, notification, signedDelivery } from '../support/intercom-notifications';
import { seed001Sample } from '../support/seeds';
import { call, startTestServer, type TestServer } from '../support/test-server';

const APP_ID = 'ic_replay';
const CLOSED = 'conversation.admin.closed';
const CONVERSATION = '8800';
const DAY_S = 24 * 3600;

describe('replay of an old, correctly signed Intercom notification', () => {
  let server: TestServer;
  let fakeIntercom: FakeIntercom;
  let workspace: WorkspaceRecord;
  let intakeKey: string;
  const env = { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET };

  beforeAll(async () => {
    fakeIntercom = await new FakeIntercom().start();
    const first = await startTestServer({ env: { ...env, INTERCOM_API_URL: fakeIntercom.url } });
    const intercom = new IntercomSettings(first.app.store, first.app.workspaces, first.config.intercom);
    workspace = await intercom.setLink((await first.app.workspaces.create('acme-replay')).workspace, { workspaceId: APP_ID, region: 'US', adminId: '7001', gatedTopics: [], callbackUrl: null }, fakeIntercom.token);
    intakeKey = (await first.app.workspaces.issueKey(workspace, 'intake')).key;
    await first.stop();
    server = await startTestServer({ dataDir: first.dataDir, env: { ...env, INTERCOM_API_URL: fakeIntercom.url } });
  });
  afterAll(async () => {
    await server?.close();
    await fakeIntercom?.stop();
  });

  const pendingRequest = async () => {
    const created = await call(`${server.url}/api/webhooks/inbound`, { headers: { 'x-api-key': intakeKey }, json: { ...seed001Sample, context: { platform: 'intercom', conversationId: CONVERSATION } } });
    expect(created.status).toBe(201);
    return created.body.approvalId as string;
  };
  const statusOf = async (id: string) => (await server.app.store.approvals.get(workspace.id, id))!.status;

  it('acknowledges a 30-day-old signed conversation.admin.closed whose record was pruned, and cancels nothing', async () => {
    const captured = { ...notification(CLOSED, CONVERSATION, APP_ID), created_at: Math.floor(Date.now() / 1000) - 30 * DAY_S };
    const body = JSON.stringify(captured);
    // Its first delivery, 30 days ago, left a record that the prune has since removed.
    await server.app.store.platformEvents.record({ source: 'intercom', eventId: captured.id, topic: CLOSED, payload: body, receivedAt: Date.now() - 30 * DAY_S * 1000 });
    await server.app.store.platformEvents.markProcessed('intercom', captured.id, Date.now() - 30 * DAY_S * 1000);
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir, env: { ...env, INTERCOM_API_URL: fakeIntercom.url } });

    const approvalId = await pendingRequest();
    const replay = await call(`${server.url}/webhooks/intercom`, { headers: signedDelivery(body), body });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, ignored: 'too_old' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await statusOf(approvalId)).toBe('pending');
    expect(server.logs.some((l) => l.notificationId === captured.id && l.age === 'too_old')).toBe(true);
    // The record was pruned and the replay recorded nothing: the id is free.
    expect(await server.app.store.platformEvents.record({ source: 'intercom', eventId: captured.id, topic: CLOSED, payload: '{}', receivedAt: Date.now() })).toBe(true);
    await server.app.store.platformEvents.markProcessed('intercom', captured.id, Date.now());

    // Control: the same close, dated now, is acted on.
    const fresh = JSON.stringify(notification(CLOSED, CONVERSATION, APP_ID));
    expect((await call(`${server.url}/webhooks/intercom`, { headers: signedDelivery(fresh), body: fresh })).body).toEqual({ received: true, duplicate: false });
    const deadline = Date.now() + 10_000;
    while ((await statusOf(approvalId)) === 'pending' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await statusOf(approvalId)).toBe('cancelled');
  });
});
