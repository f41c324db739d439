import { describe, expect, it } from 'vitest';
import { CallbackBody } from '@countersign/shared';
import { verifySignature } from '@countersign/server/delivery';
import { eventsWithAttempts } from '../../support/audit-trail';
import { seed000DecisionHandler, seed000Filled, seed000IntercomRelay } from '../../support/seeds';
import { withServerAndReceiver } from '../../support/server-and-receiver';
import { CALLBACK_SECRET, reviewer, startTestServer } from '../../support/test-server';

describe('decision callbacks', () => {
  const { server, receiver } = withServerAndReceiver();

  it('delivers APPROVED with modifiedDetails and a valid signature for seed 000’s Zendesk trigger', async () => {
    const { approval, httpStatus } = await server.intake.createApproval(seed000Filled('4512', `${receiver.url}/zendesk/decision-callback`));
    expect(httpStatus).toBe(201);
    expect(approval).toMatchObject({ status: 'pending', riskLevel: 'high', context: { platform: 'zendesk', ticketId: '4512' } });

    const modifiedDetails = { ...approval.details, amount: '25.00' };
    const decided = await server.review.decide(approval.approvalId, { decision: 'approve', modifiedDetails, note: 'Half refund', reviewer });
    expect(decided).toMatchObject({ status: 'approved', modifiedDetails, decisionNote: 'Half refund', decidedBy: reviewer });

    const [callback] = await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1).then(() => receiver.for(approval.approvalId));
    expect(callback!.path).toBe('/zendesk/decision-callback');
    expect(callback!.headers['content-type']).toBe('application/json');
    const body = CallbackBody.parse(callback!.json);
    expect(body).toMatchObject({ type: 'approval.decided', approvalId: approval.approvalId, action: 'process_refund', status: 'APPROVED', modifiedDetails, details: approval.details, decisionNote: 'Half refund', decidedBy: reviewer });
    const verified = verifySignature(CALLBACK_SECRET, {
      id: callback!.headers['webhook-id'] as string,
      timestamp: callback!.headers['webhook-timestamp'] as string,
      signature: callback!.headers['webhook-signature'] as string,
      body: callback!.body,
    });
    expect(verified).toEqual({ ok: true });
    expect(verifySignature('whsec_' + Buffer.from('another secret!!').toString('base64'), {
      id: callback!.headers['webhook-id'] as string,
      timestamp: callback!.headers['webhook-timestamp'] as string,
      signature: callback!.headers['webhook-signature'] as string,
      body: callback!.body,
    }).ok).toBe(false);

    // Seed 000's decision handler, run verbatim on what we sent.
    const refunds: unknown[] = [];
    const notes: Array<[string, string]> = [];
    await seed000DecisionHandler(body, async (d) => void refunds.push(d), async (t, text) => void notes.push([t, text]));
    expect(refunds).toEqual([modifiedDetails]);
    expect(notes).toEqual([['4512', 'Refund processed.']]);
  });

  it('applies a one-field API edit as a merge patch: seed 000’s handler still gets ticketId, and the changes are listed', async () => {
    const { approval } = await server.intake.createApproval(seed000Filled('4515', `${receiver.url}/cb`));
    const decided = await server.review.decide(approval.approvalId, { decision: 'approve', modifiedDetails: { amount: '25.00' }, reviewer });
    const complete = { ...approval.details, amount: '25.00' };
    expect(decided.modifiedDetails).toEqual(complete);
    expect(decided.changes).toEqual([{ path: 'amount', from: '49.00', to: '25.00' }]);
    expect(await server.review.getApproval(approval.approvalId)).toMatchObject({ modifiedDetails: complete, changes: decided.changes });

    await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1);
    const body = CallbackBody.parse(receiver.for(approval.approvalId)[0]!.json);
    expect(body.modifiedDetails).toEqual(complete);
    expect(body.changes).toEqual([{ path: 'amount', from: '49.00', to: '25.00' }]);
    const refunds: unknown[] = [];
    const notes: Array<[string, string]> = [];
    await seed000DecisionHandler(body, async (d) => void refunds.push(d), async (t, text) => void notes.push([t, text]));
    expect(refunds).toEqual([complete]);
    expect(notes).toEqual([['4515', 'Refund processed.']]);

    const decidedEvent = (await server.intake.listEvents(approval.approvalId)).items.find((e) => e.type === 'approval.approved');
    expect(decidedEvent?.data).toMatchObject({ changedPaths: ['amount'] });
  });

  it('merge patches remove keys with null, merge nested objects and replace arrays; a patch that changes nothing stores null', async () => {
    const details = { ticketId: '4516', amount: '49.00', address: { city: 'Oslo', zip: '0150' }, items: [1, 2], coupon: 'X' };
    const { approval } = await server.intake.createApproval({ ...seed000Filled('4516', `${receiver.url}/cb`), details });
    const decided = await server.review.decide(approval.approvalId, { decision: 'approve', modifiedDetails: { coupon: null, address: { city: 'Bergen' }, items: [3] }, reviewer });
    expect(decided.modifiedDetails).toEqual({ ticketId: '4516', amount: '49.00', address: { city: 'Bergen', zip: '0150' }, items: [3] });
    expect(decided.changes).toEqual([
      { path: 'address.city', from: 'Oslo', to: 'Bergen' },
      { path: 'items', from: [1, 2], to: [3] },
      { path: 'coupon', from: 'X' },
    ]);

    const same = (await server.intake.createApproval(seed000Filled('4517', `${receiver.url}/cb`))).approval;
    const unchanged = await server.review.decide(same.approvalId, { decision: 'approve', modifiedDetails: { amount: '49.00', nothing: null }, reviewer });
    expect(unchanged).toMatchObject({ modifiedDetails: null, changes: [] });
    await receiver.waitFor(() => receiver.for(same.approvalId).length === 1);
    expect(receiver.for(same.approvalId)[0]!.json).toMatchObject({ modifiedDetails: null, changes: [] });
  });

  it('delivers REJECTED with the reviewer’s note, which seed 000’s handler writes on the ticket', async () => {
    const { approval } = await server.intake.createApproval(seed000Filled('4513', `${receiver.url}/cb`));
    await server.review.decide(approval.approvalId, { decision: 'reject', note: 'Refund window has passed.', reviewer });
    await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1);
    const body = receiver.for(approval.approvalId)[0]!.json;
    expect(body).toMatchObject({ status: 'REJECTED', decisionNote: 'Refund window has passed.', modifiedDetails: null });
    const notes: Array<[string, string]> = [];
    await seed000DecisionHandler(body, async () => {}, async (t, text) => void notes.push([t, text]));
    expect(notes).toEqual([['4513', 'Action declined: Refund window has passed.']]);
  });

  it('relays an Intercom conversation request and derives its context', async () => {
    const { approval } = await server.intake.createApproval(seed000IntercomRelay('215470', `${receiver.url}/intercom/decision-callback`));
    expect(approval.context).toEqual({ platform: 'intercom', conversationId: '215470' });
    const page = await server.review.listApprovals({ conversationId: '215470', status: 'pending' });
    expect(page.items.map((a) => a.approvalId)).toEqual([approval.approvalId]);
  });

  it('records the decision and every delivery attempt in the audit trail', async () => {
    const { approval } = await server.intake.createApproval(seed000Filled('4514', `${receiver.url}/cb`));
    receiver.reply({ status: 500 });
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    await receiver.waitFor(() => receiver.for(approval.approvalId).length === 2);
    const items = await eventsWithAttempts(server, approval.approvalId, 2);
    expect(items.map((e) => e.type)).toEqual(['approval.created', 'approval.approved', 'delivery.attempt', 'delivery.attempt']);
    expect(items[2]!.data).toMatchObject({ kind: 'callback', attempt: 1, outcome: 'retrying', statusCode: 500, error: 'HTTP 500' });
    expect(items[3]!.data).toMatchObject({ kind: 'callback', attempt: 2, outcome: 'delivered', statusCode: 200, error: null });
    const ids = receiver.for(approval.approvalId).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
  });

  it('sends a new delivery at once instead of waiting for a poll tick', async () => {
    // With the poll an hour away, only the wake-up on commit can send this callback.
    const quiet = await startTestServer({ env: { COUNTERSIGN_POLL_INTERVAL: '1h' } });
    try {
      const { approval } = await quiet.intake.createApproval(seed000Filled('4520', `${receiver.url}/cb`));
      const started = Date.now();
      await quiet.review.decide(approval.approvalId, { decision: 'approve', reviewer });
      await receiver.waitFor(() => receiver.for(approval.approvalId).length === 1, 5000);
      expect(receiver.for(approval.approvalId)[0]!.at - started).toBeLessThan(5000);
    } finally {
      await quiet.close();
    }
  });
});
