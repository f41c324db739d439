import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntercomSettings } from '@countersign/server/integrations/intercom';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { FakeIntercom } from '../../support/fake-intercom';
import { INTERCOM_SECRET, notification, signedDelivery } from '../../support/intercom-notifications';
import { withServerAndReceiver } from '../../support/server-and-receiver';
import { signCanvasBody } from '@countersign/intercom-canvas';
import { call, reviewer, startTestServer } from '../../support/test-server';

const APP_ID = 'ic_app_1';
const GATED = 'conversation.operator.replied';

describe('POST /webhooks/intercom (seed 002)', () => {
  const fakeIntercom = new FakeIntercom();
  beforeAll(async () => {
    await fakeIntercom.start();
  });
  afterAll(async () => {
    await fakeIntercom.stop();
  });
  const { server, receiver } = withServerAndReceiver(() => ({ env: { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET, INTERCOM_API_URL: fakeIntercom.url } }));
  let workspace: WorkspaceRecord;

  beforeAll(async () => {
    const intercom = new IntercomSettings(server.app.store, server.app.workspaces, server.config.intercom);
    const created = (await server.app.workspaces.create('acme-ic')).workspace;
    workspace = await intercom.setLink(created, { workspaceId: APP_ID, region: 'EU', adminId: '7001', gatedTopics: [GATED], callbackUrl: `${receiver.url}/ic` }, fakeIntercom.token);
  });

  const deliver = (body: string, headers = signedDelivery(body)) => call(`${server.url}/webhooks/intercom`, { headers, body });
  const approvalsOf = async (conversationId: string) => server.app.store.approvals.list(workspace.id, { conversationId }, 100);
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it.each([
    ['a missing signature', (body: string) => ({ 'content-type': 'application/json' })],
    ['a signature over another body', (body: string) => signedDelivery(body.replace('replied', 'replies'))],
    ['another secret', (body: string) => signedDelivery(body, 'not-the-client-secret')],
    ['a truncated signature', (body: string) => ({ ...signedDelivery(body), 'x-hub-signature': signedDelivery(body)['x-hub-signature']!.slice(0, 30) })],
    ['a sha256= prefix', (body: string) => ({ ...signedDelivery(body), 'x-hub-signature': signedDelivery(body)['x-hub-signature']!.replace('sha1=', 'sha256=') })],
  ])('refuses %s with 401 and records nothing', async (_name, headers) => {
    const body = JSON.stringify(notification(GATED, '9001', APP_ID));
    const response = await deliver(body, headers(body));
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_signature');
    expect(await server.app.store.platformEvents.listUnprocessed('intercom', Date.now() + 1000, 99, 100)).toEqual([]);
    expect(await approvalsOf('9001')).toEqual([]);
  });

  it('answers 200 before processing, then turns a gated topic into a readable request with the relay\'s details', async () => {
    // Hold the approval write until the webhook has been answered.
    const store = server.app.store;
    const original = store.approvals.create.bind(store);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    store.approvals.create = async (...args) => { await held; return original(...args); };
    try {
      const response = await deliver(JSON.stringify(notification(GATED, '9002', APP_ID)));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, duplicate: false });
      expect(await approvalsOf('9002')).toEqual([]);
    } finally {
      release();
      store.approvals.create = original;
    }
    const [approval] = await eventually(() => approvalsOf('9002'), (list) => list.length === 1);
    expect(approval).toMatchObject({
      status: 'pending',
      action: 'send_fin_reply',
      summary: "Fin's reply to jordan@example.com on conversation #9002",
      agentName: 'Intercom Fin',
      riskLevel: 'medium',
      details: { conversationId: '9002', contactEmail: 'jordan@example.com', assignedAdmin: 'morgan@acme.example', lastMessage: 'I can refund your order.' },
      context: { platform: 'intercom', conversationId: '9002' },
      callbackUrl: `${receiver.url}/ic`,
    });
  });

  it('turns a part\'s HTML into plain text in the details and in the decision callback', async () => {
    const html = notification(GATED, '9009', APP_ID);
    html.data.item.conversation_parts.conversation_parts = [{
      type: 'conversation_part',
      body: '<p class="no-margin">Refund <b>$129.00</b> &amp; cancel?</p><ul><li><p class="no-margin">Card ending 4242</p></li><li><p class="no-margin">Within 5&ndash;10 days</p></li></ul><p class="no-margin">Policy: <a href="https://example.com/refunds" target="_blank">refunds</a></p>',
    }];
    await deliver(JSON.stringify(html));
    const [approval] = await eventually(() => approvalsOf('9009'), (list) => list.length === 1);
    const plain = 'Refund $129.00 & cancel?\n\n- Card ending 4242\n- Within 5–10 days\n\nPolicy: refunds [https://example.com/refunds]';
    expect(approval!.details.lastMessage).toBe(plain);
    const { key } = await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } });
    await call(`${server.url}/api/approvals/${approval!.id}/decision`, { headers: { authorization: `Bearer ${key}` }, json: { decision: 'approve', reviewer } });
    await receiver.waitFor(() => receiver.for(approval!.id).length > 0);
    const callback = receiver.for(approval!.id)[0]!;
    expect(callback.json).toMatchObject({ status: 'APPROVED', action: 'send_fin_reply', details: { lastMessage: plain } });
    expect(callback.body).not.toMatch(/<[a-z/]/i);
  });

  it('processes one notification once when Intercom delivers it 20 times at once', async () => {
    const body = JSON.stringify(notification(GATED, '9003', APP_ID));
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await eventually(() => approvalsOf('9003'), (list) => list.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await approvalsOf('9003')).toHaveLength(1);
  });

  it('accepts and ignores unknown topics, ungated topics and unknown workspaces', async () => {
    for (const body of [notification('contact.created', '9004', APP_ID), notification('conversation.admin.replied', '9004', APP_ID), notification(GATED, '9004', 'someone-else')]) {
      const response = await deliver(JSON.stringify(body));
      expect(response.status).toBe(200);
    }
    await eventually(() => server.app.store.platformEvents.listUnprocessed('intercom', Date.now() + 1000, 99, 100), (list) => list.length === 0);
    expect(await approvalsOf('9004')).toEqual([]);
  });

  it('cancels the conversation\'s pending requests on conversation.admin.closed; callbacks say CANCELLED', async () => {
    await deliver(JSON.stringify(notification(GATED, '9005', APP_ID)));
    const [pending] = await eventually(() => approvalsOf('9005'), (list) => list.length === 1);
    await deliver(JSON.stringify(notification('conversation.admin.closed', '9005', APP_ID)));
    await receiver.waitFor(() => receiver.for(pending!.id).length > 0);
    expect(receiver.for(pending!.id)[0]!.json).toMatchObject({ status: 'CANCELLED', decisionNote: 'The conversation was closed in Intercom.' });
  });

  it.each([
    ['dated 8 days ago (beyond the 7-day de-duplication window)', (s: number) => s - 8 * 24 * 3600, 'too_old'],
    ['dated exactly at the window\'s end', (s: number) => s - 7 * 24 * 3600, 'too_old'],
    ['dated an hour ahead of our clock', (s: number) => s + 3600, 'from_the_future'],
    ['without created_at', () => undefined, 'undated'],
    ['with created_at as a string', (s: number) => String(s), 'undated'],
    ['with created_at 0', () => 0, 'undated'],
  ])('acknowledges a signed notification %s with 200, then ignores it: nothing recorded, nothing done, a log line', async (_name, date, age) => {
    const conversationId = `92${Math.floor(Math.random() * 1e6)}`;
    const genuine = notification(GATED, conversationId, APP_ID);
    const body = JSON.stringify({ ...genuine, created_at: date(genuine.created_at) });
    const response = await deliver(body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, ignored: age });
    expect(server.logs.filter((l) => l.notificationId === genuine.id && l.msg === 'intercom notification ignored: not dated within the de-duplication window')).toMatchObject([{ age, topic: GATED }]);
    // Not recorded: the id is still free, and no request appears.
    await new Promise((r) => setTimeout(r, 200));
    expect(await approvalsOf(conversationId)).toEqual([]);
    expect(await server.app.store.platformEvents.record({ source: 'intercom', eventId: genuine.id, topic: GATED, payload: '{}', receivedAt: Date.now() })).toBe(true);
    await server.app.store.platformEvents.markProcessed('intercom', genuine.id, Date.now());
  });

  it('acts on a notification dated a little ahead of our clock (within the allowed skew) and one just inside the window', async () => {
    for (const [conversationId, shift] of [['9301', 60], ['9302', -(7 * 24 * 3600 - 120)]] as const) {
      const genuine = notification(GATED, conversationId, APP_ID);
      const response = await deliver(JSON.stringify({ ...genuine, created_at: genuine.created_at + shift }));
      expect(response.body).toEqual({ received: true, duplicate: false });
      await eventually(() => approvalsOf(conversationId), (list) => list.length === 1);
    }
  });

  it('settles a notification that can never become a request once, instead of retrying it', async () => {
    const hopeless = notification(GATED, 'x'.repeat(500), APP_ID);
    expect((await deliver(JSON.stringify(hopeless))).status).toBe(200);
    await eventually(() => server.app.store.platformEvents.listUnprocessed('intercom', Date.now() + 1000, 99, 100), (list) => list.length === 0);
    expect(server.logs.filter((l) => l.notificationId === hopeless.id && l.msg === 'intercom notification refused; it will not be retried')).toHaveLength(1);
  });

  it('resumes a notification that was acknowledged but never processed (the process stopped in between)', async () => {
    const stranded = notification(GATED, '9006', APP_ID);
    await server.app.store.platformEvents.record({ source: 'intercom', eventId: stranded.id, topic: GATED, payload: JSON.stringify(stranded), receivedAt: Date.now() - 60_000 });
    await eventually(() => approvalsOf('9006'), (list) => list.length === 1);
  });

  it('writes an internal note on the conversation as the teammate who decided in the signed canvas, through the region\'s API', async () => {
    await deliver(JSON.stringify(notification(GATED, '9007', APP_ID)));
    const [approval] = await eventually(() => approvalsOf('9007'), (list) => list.length === 1);
    const body = JSON.stringify({
      workspace_id: APP_ID, workspace_region: 'eu', admin: { id: '7002', name: 'Riley', email: 'riley@acme.example' },
      conversation: { type: 'conversation', id: '9007' }, component_id: `reject-confirm:${approval!.id}`,
      input_values: { note: 'Refunds over $100 need a manager <b>now</b>' }, current_canvas: { content: { components: [] } },
    });
    const decided = await call(`${server.url}/intercom/canvas/submit`, { headers: { 'content-type': 'application/json', 'x-body-signature': signCanvasBody(INTERCOM_SECRET, body) }, body });
    expect(decided.status).toBe(200);
    expect((await server.app.store.approvals.get(workspace.id, approval!.id))?.decidedBy).toEqual({ id: '7002', name: 'Riley', email: 'riley@acme.example', via: 'intercom' });
    const [note] = await fakeIntercom.waitForNotes('9007');
    expect(note!.headers).toMatchObject({ authorization: `Bearer ${fakeIntercom.token}`, 'intercom-version': '2.14', 'content-type': 'application/json' });
    expect(note!.json).toMatchObject({ message_type: 'note', type: 'admin', admin_id: '7002' });
    expect(note!.json.body).toContain('Rejected by Riley (riley@acme.example) via Intercom');
    expect(note!.json.body).toContain('&#60;b&#62;now&#60;/b&#62;');
  });

  it('writes a REST decision\'s note as the linked admin, and refuses a body that claims to be an Intercom teammate', async () => {
    await deliver(JSON.stringify(notification(GATED, '9008', APP_ID)));
    const [other] = await eventually(() => approvalsOf('9008'), (list) => list.length === 1);
    const { key } = await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } });
    const url = `${server.url}/api/approvals/${other!.id}/decision`;
    const claimed = await call(url, { headers: { authorization: `Bearer ${key}` }, json: { decision: 'approve', reviewer: { id: '7002', name: 'Riley', via: 'intercom' } } });
    expect(claimed.status).toBe(403);
    expect(claimed.body.error.code).toBe('reviewer_mismatch');
    expect((await call(url, { headers: { authorization: `Bearer ${key}` }, json: { decision: 'approve', reviewer: { ...reviewer, id: '7002' } } })).status).toBe(200);
    expect((await fakeIntercom.waitForNotes('9008'))[0]!.json.admin_id).toBe('7001');
  });
});

describe('processed Intercom events', () => {
  it('are kept for COUNTERSIGN_EVENT_DEDUP_WINDOW and then pruned by the in-process job (it also runs at start)', async () => {
    const env = { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET, COUNTERSIGN_EVENT_DEDUP_WINDOW: '2d' };
    const first = await startTestServer({ env });
    const day = 24 * 3600 * 1000;
    await first.app.store.platformEvents.record({ source: 'intercom', eventId: 'three-days', topic: GATED, payload: '{}', receivedAt: Date.now() - 3 * day });
    await first.app.store.platformEvents.record({ source: 'intercom', eventId: 'one-day', topic: GATED, payload: '{}', receivedAt: Date.now() - day });
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir, env });
    try {
      await eventuallyTrue(async () => (await second.app.store.platformEvents.record({ source: 'intercom', eventId: 'three-days', topic: GATED, payload: '{}', receivedAt: Date.now() })) === true);
      expect(await second.app.store.platformEvents.record({ source: 'intercom', eventId: 'one-day', topic: GATED, payload: '{}', receivedAt: Date.now() })).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('are pruned after 7 days by default', async () => {
    const first = await startTestServer({ env: { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET } });
    const old = notification(GATED, '9100', APP_ID);
    await first.app.store.platformEvents.record({ source: 'intercom', eventId: old.id, topic: GATED, payload: JSON.stringify(old), receivedAt: Date.now() - 8 * 24 * 3600 * 1000 });
    await first.app.store.platformEvents.record({ source: 'intercom', eventId: 'recent', topic: GATED, payload: '{}', receivedAt: Date.now() });
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir, env: { INTERCOM_CLIENT_SECRET: INTERCOM_SECRET } });
    try {
      await eventuallyTrue(async () => (await second.app.store.platformEvents.record({ source: 'intercom', eventId: old.id, topic: GATED, payload: '{}', receivedAt: Date.now() })) === true);
      expect(await second.app.store.platformEvents.record({ source: 'intercom', eventId: 'recent', topic: GATED, payload: '{}', receivedAt: Date.now() })).toBe(false);
    } finally {
      await second.close();
    }
  });
});

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
