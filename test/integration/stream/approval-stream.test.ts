import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
import { openStream, type SseConnection, type SseEvent } from '../../support/sse-client';
import { ADMIN_REVIEW_KEY, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../../support/test-server';

const views = (events: SseEvent[]) => events.map((e) => ({ id: Number(e.id), event: e.event, view: JSON.parse(e.data) as Record<string, any> }));
const refund = (ticketId: string) => ({ action: 'process_refund', summary: `Refund on ticket #${ticketId}`, details: { ticketId, amount: '49.00' }, riskLevel: 'high' as const });

describe('GET /api/approvals/stream', () => {
  let server: TestServer;
  const open: SseConnection[] = [];
  const stream = async (query = '', headers: Record<string, string> = { authorization: `Bearer ${REVIEW_KEY}` }) => {
    const connection = await openStream(`${server.url}/api/approvals/stream${query}`, headers);
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { COUNTERSIGN_STREAM_HEARTBEAT: '200ms' } });
  });
  afterAll(async () => {
    for (const connection of open) connection.close();
    await server.close();
  });

  it('sends approval.created for a new request and approval.updated for its decision, with increasing ids and the view', async () => {
    const live = await stream();
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(live.headers.get('cache-control')).toBe('no-store');
    const { approval } = await server.intake.createApproval(refund('7001'));
    await live.waitFor((events) => events.some((e) => e.event === 'approval.created'));
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    const events = views(await live.waitFor((all) => all.some((e) => e.event === 'approval.updated')));
    expect(events.map((e) => e.event)).toEqual(['approval.created', 'approval.updated']);
    expect(events[1]!.id).toBeGreaterThan(events[0]!.id);
    expect(events[0]!.view).toMatchObject({ approvalId: approval.approvalId, action: 'process_refund', context: { platform: 'zendesk', ticketId: '7001' } });
    expect(events[1]!.view).toMatchObject({ approvalId: approval.approvalId, status: 'approved', decidedBy: { id: '381' } });
  });

  it('tells each caller whether they may decide: the admin’s personal key may, until it is decided', async () => {
    const admin = await stream('', { authorization: `Bearer ${ADMIN_REVIEW_KEY}` });
    const { approval } = await server.intake.createApproval(refund('7002'));
    const [created] = views(await admin.waitFor((events) => events.length >= 1));
    expect(created!.view).toMatchObject({ approvalId: approval.approvalId, canDecide: true, cannotDecideReason: null });
  });

  it('sends only the ticket’s or conversation’s requests when filtered', async () => {
    const ticket = await stream('?ticketId=7010');
    await server.intake.createApproval(refund('7011'));
    const { approval } = await server.intake.createApproval(refund('7010'));
    const events = views(await ticket.waitFor((all) => all.length >= 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(views(ticket.events).map((e) => e.view.approvalId)).toEqual([approval.approvalId]);
    expect(events[0]!.view.context.ticketId).toBe('7010');
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, in order, each once', async () => {
    const first = await stream('?ticketId=7020');
    const a = (await server.intake.createApproval(refund('7020'))).approval;
    const [seen] = views(await first.waitFor((events) => events.length >= 1));
    first.close();
    const b = (await server.intake.createApproval(refund('7020'))).approval;
    await server.review.decide(a.approvalId, { decision: 'reject', note: 'no', reviewer });
    const again = await stream('?ticketId=7020', { authorization: `Bearer ${REVIEW_KEY}`, 'last-event-id': String(seen!.id) });
    const replayed = views(await again.waitFor((events) => events.length >= 2));
    expect(replayed.map((e) => [e.event, e.view.approvalId])).toEqual([['approval.created', b.approvalId], ['approval.updated', a.approvalId]]);
    expect(replayed[0]!.id).toBeGreaterThan(seen!.id);
    const c = (await server.intake.createApproval(refund('7020'))).approval;
    const all = views(await again.waitFor((events) => events.length >= 3));
    expect(all.map((e) => e.view.approvalId)).toEqual([b.approvalId, a.approvalId, c.approvalId]);
    expect(new Set(all.map((e) => e.id)).size).toBe(3);
  });

  it('accepts the resume point as ?lastEventId (a first EventSource connection cannot send the header), and refuses a malformed one with 400', async () => {
    const seen = (await server.intake.createApproval(refund('7030'))).approval;
    const viaQuery = await stream('?ticketId=7030&lastEventId=0');
    const replayed = views(await viaQuery.waitFor((events) => events.length >= 1));
    expect(replayed[0]!.view.approvalId).toBe(seen.approvalId);
    const bad = await stream('', { authorization: `Bearer ${REVIEW_KEY}`, 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('sends a heartbeat comment on idle streams', async () => {
    const idle = await stream('?ticketId=never');
    const deadline = Date.now() + 5000;
    while (!idle.comments.includes('heartbeat') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(idle.comments).toContain('heartbeat');
  });

  it('is for reviewers: 401 without a key, 403 for an intake key, 401 for a forged session', async () => {
    expect((await stream('', {})).status).toBe(401);
    const intake = await stream('', { 'x-api-key': INTAKE_KEY });
    expect(intake.status).toBe(403);
    expect(intake.body).toMatchObject({ error: { code: 'wrong_key_scope' } });
    const forged = await stream('?session=v1.forged.token', {});
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'invalid_credentials' } });
  });

  it('opens with a Zendesk agent’s reviewer session alone (for EventSource), telling the agent what they may decide', async () => {
    const sessions = new ReviewerSessions(loadSecretKey(server.config.secretKey, server.dataDir).key);
    const workspace = (await server.app.store.workspaces.findByName('default'))!;
    const { token } = sessions.issue(workspace.id, { id: '9001', name: 'Zoe Agent', email: 'zoe@example.com', role: 'agent', groups: [] });
    const agent = await stream(`?ticketId=7040&session=${encodeURIComponent(token)}`, { origin: 'https://acme.zendesk.com' });
    expect(agent.status).toBe(200);
    expect(agent.headers.get('access-control-allow-origin')).toBe('https://acme.zendesk.com');
    await server.intake.createApproval({ ...refund('7040'), requestedBy: { email: 'zoe@example.com' } });
    const [created] = views(await agent.waitFor((events) => events.length >= 1));
    expect(created!.view).toMatchObject({ canDecide: false });
    expect(created!.view.cannotDecideReason).toMatch(/asked for this request/i);
  });

  it('refuses a browser origin that is neither its own, Zendesk’s, nor configured, with 403', async () => {
    const other = await stream('', { authorization: `Bearer ${REVIEW_KEY}`, origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'origin_not_allowed' } });
  });
});

describe('the stream across restarts and instances', () => {
  it('replays from Last-Event-ID after a restart, and carries a decision taken on another instance', async () => {
    const first = await startTestServer();
    const second = await startTestServer({ dataDir: first.dataDir });
    const connections: SseConnection[] = [];
    try {
      const auth = { authorization: `Bearer ${REVIEW_KEY}` };
      const onFirst = await openStream(`${first.url}/api/approvals/stream`, auth);
      connections.push(onFirst);
      const { approval } = await first.intake.createApproval(refund('8001'));
      const [created] = views(await onFirst.waitFor((events) => events.length >= 1));
      await second.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      const updated = views(await onFirst.waitFor((events) => events.length >= 2))[1]!;
      expect(updated.view).toMatchObject({ approvalId: approval.approvalId, status: 'approved' });

      onFirst.close();
      await first.stop();
      const later = (await second.intake.createApproval(refund('8001'))).approval;
      const restarted = await startTestServer({ dataDir: first.dataDir });
      try {
        const resumed = await openStream(`${restarted.url}/api/approvals/stream?ticketId=8001`, { ...auth, 'last-event-id': String(created!.id) });
        connections.push(resumed);
        const replayed = views(await resumed.waitFor((events) => events.length >= 2));
        expect(replayed.map((e) => [e.event, e.view.approvalId])).toEqual([['approval.updated', approval.approvalId], ['approval.created', later.approvalId]]);
      } finally {
        for (const c of connections) c.close();
        await restarted.stop();
      }
    } finally {
      for (const c of connections) c.close();
      await second.stop();
      await first.close();
    }
  });

  it('ends open streams when the server stops, so shutdown is not held up', async () => {
    const server = await startTestServer();
    const live = await openStream(`${server.url}/api/approvals/stream`, { authorization: `Bearer ${REVIEW_KEY}` });
    const started = Date.now();
    await server.close();
    await live.ended;
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
