// Without a MongoDB server: every record survives conversion to a document, mongoose's casting
// through the real schemas, and conversion back, unchanged (including keys MongoDB forbids).
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  approvalDocument,
  approvalFromDocument,
  deliveryDocument,
  deliveryFromDocument,
  eventDocument,
  eventFromDocument,
  keyDocument,
  keyFromDocument,
  workspaceDocument,
  workspaceFromDocument,
} from '@countersign/server/store/mongo';
import { bindModels } from '@countersign/server/store/mongo';
import type { ApprovalRecord, DeliveryRecord } from '@countersign/server/approvals';

const connection = mongoose.createConnection(); // never opened: models cast offline
const models = bindModels(connection);
afterAll(() => connection.destroy());

/** What a document looks like after mongoose has cast it and it came back from a lean read. */
async function cast<T>(model: mongoose.Model<any>, document: T): Promise<T> {
  const doc = new model(document);
  await doc.validate();
  return doc.toObject() as T;
}

const approval: ApprovalRecord = {
  id: 'apr_01m84s3ssrr83ea26r2ar2de9p', workspaceId: 'ws_1', status: 'approved', action: 'process_refund', summary: 'Refund',
  details: { ticketId: '4512', 'a.b': { $gt: 1 }, list: [1, 'two', null], emoji: '😀' }, riskLevel: 'critical', priority: 'urgent',
  justification: 'why', agentName: 'Fin', metadata: { source: 'zap' }, context: { platform: 'zendesk', ticketId: '4512' },
  callbackUrl: 'https://example.com/cb', createdAt: 1, updatedAt: 2, expiresAt: 3, decidedAt: 2,
  decidedBy: { id: '7', name: 'Ana', email: 'ana@example.com', via: 'zendesk' }, decisionNote: 'ok', modifiedDetails: { amount: '1' },
  idempotencyKey: 'k', requestHash: 'h', createdByKeyId: 'key_1', version: 0, requestedBy: null, requirement: null, approvals: [],
};

describe('mongo documents', () => {
  it('round-trip an approval, a pending one with nulls, and an intercom context', async () => {
    expect(approvalFromDocument(await cast(models.approvals, approvalDocument(approval)))).toEqual(approval);
    const pending = { ...approval, status: 'pending' as const, justification: null, agentName: null, metadata: null, callbackUrl: null, decidedAt: null, decidedBy: null, decisionNote: null, modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: null, context: { platform: 'intercom' as const, conversationId: '99' } };
    expect(approvalFromDocument(await cast(models.approvals, approvalDocument(pending)))).toEqual(pending);
  });

  it('round-trip workspaces, keys, events and deliveries', async () => {
    const workspace = { id: 'ws_1', name: 'acme', createdAt: 1, settings: { defaultExpiresInSeconds: 60, previousCallbackSecretUntil: 5 }, secrets: { callback: 'v1:x' } };
    expect(workspaceFromDocument(await cast(models.workspaces, workspaceDocument(workspace)))).toEqual(workspace);
    const key = { id: 'key_1', workspaceId: 'ws_1', scope: 'review' as const, prefix: 'cs_review_abcdef…', hash: 'f'.repeat(64), label: null, createdAt: 1, revokedAt: null, reviewer: null };
    expect(keyFromDocument(await cast(models.apiKeys, keyDocument(key)))).toEqual(key);
    const event = { id: 'evt_1', workspaceId: 'ws_1', approvalId: approval.id, type: 'delivery.attempt', at: 9, data: { 'weird.key': { $set: 1 } } };
    expect(eventFromDocument(await cast(models.events, eventDocument(event)))).toEqual(event);
    const delivery: DeliveryRecord = { id: 'msg_1', workspaceId: 'ws_1', approvalId: approval.id, kind: 'callback', target: 'https://example.com/cb', body: '{"a":1}', status: 'pending', attempts: 1, nextAttemptAt: 5, leaseOwner: 'w1', leaseUntil: 50, lastError: null, createdAt: 1, updatedAt: 2 };
    const stored = await cast(models.deliveries, deliveryDocument(delivery));
    expect(deliveryFromDocument(stored)).toEqual(delivery);
    // The destination host is stored beside the delivery for claims to group by.
    expect(stored.host).toBe('example.com');
    expect((await cast(models.deliveries, deliveryDocument({ ...delivery, target: 'http://127.0.0.2:8080/cb' }))).host).toBe('127.0.0.2:8080');
  });
});
