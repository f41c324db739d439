import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '@countersign/server/approvals';
import { SqliteStore } from '@countersign/server/store/sqlite';
import { SQLITE_FILE } from '@countersign/server/store';
import type { DeliveryRecord } from '@countersign/server/approvals';
import { seed000Filled } from '../../support/seeds';
import { startServerAndReceiver } from '../../support/server-and-receiver';
import { reviewer, startTestServer } from '../../support/test-server';
import { makeTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');

describe('delivery leases', () => {
  const temps: Array<{ remove(): void }> = [];
  afterAll(() => temps.forEach((t) => t.remove()));

  it('retries a delivery whose process died mid-attempt once its lease ends', async () => {
    const temp = makeTempDir('lease');
    temps.push(temp);
    // Make a decided approval whose callback a "dead" process had claimed.
    const { server: first, receiver, close } = await startServerAndReceiver({ dataDir: temp.dir });
    const { approval } = await first.intake.createApproval(seed000Filled('11', `${receiver.url}/cb`));
    await first.stop();
    const store = new SqliteStore(path.join(temp.dir, SQLITE_FILE));
    await store.init();
    const ws = (await store.workspaces.findByName('default'))!;
    const record = (await store.approvals.get(ws.id, approval.approvalId))!;
    const now = Date.now();
    const delivery: DeliveryRecord = {
      id: newId('msg'), workspaceId: ws.id, approvalId: record.id, kind: 'callback', target: record.callbackUrl!, body: JSON.stringify({ approvalId: record.id, status: 'APPROVED' }),
      status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: now, updatedAt: now,
    };
    await store.approvals.transition({ approval: { ...record, status: 'approved', decidedAt: now, decidedBy: reviewer, updatedAt: now }, now, expectedVersion: 0, requireUnexpired: true, events: [], deliveries: [delivery] });
    const [claimed] = await store.outbox.claim({ now, owner: 'dead-process', leaseMs: 1500, limit: 1 });
    await store.close();
    expect(claimed?.attempts).toBe(1);

    const second = await startTestServer({ dataDir: temp.dir });
    try {
      await receiver.waitFor((r) => r.length === 1, 10_000);
      expect(receiver.received[0]!.at).toBeGreaterThanOrEqual(claimed!.leaseUntil!);
      expect(receiver.received[0]!.headers['webhook-id']).toBe(delivery.id);
      // The receiver sees the request before the server records its outcome: wait for the record.
      let after: DeliveryRecord | undefined;
      for (let i = 0; i < 500 && after?.status !== 'succeeded'; i++) {
        [after] = await second.app.store.outbox.list(ws.id, record.id);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(after).toMatchObject({ status: 'succeeded', attempts: 2 });
    } finally {
      await second.stop();
      await close();
    }
  });

  it('never hands one delivery to two processes claiming from the same SQLite file', async () => {
    const temp = makeTempDir('claimers');
    temps.push(temp);
    const file = path.join(temp.dir, SQLITE_FILE);
    const store = new SqliteStore(file);
    await store.init();
    const ws = { id: newId('ws'), name: 'claims', createdAt: 0, settings: { defaultExpiresInSeconds: 60 }, secrets: {} };
    await store.workspaces.create(ws);
    const now = Date.now();
    const total = 300;
    for (let i = 0; i < total; i += 30) {
      const a = { id: newId('apr'), workspaceId: ws.id, status: 'pending' as const, action: 'a', summary: 's', details: {}, riskLevel: 'low' as const, priority: 'normal' as const, justification: null, agentName: null, metadata: null, context: null, callbackUrl: null, createdAt: now, updatedAt: now, expiresAt: now + 60_000, decidedAt: null, decidedBy: null, decisionNote: null, modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: null , version: 0, requestedBy: null, requirement: null, approvals: []};
      await store.approvals.create(a, [{ id: newId('evt'), workspaceId: ws.id, approvalId: a.id, type: 'approval.created', at: now, data: {} }]);
      const deliveries = Array.from({ length: 30 }, (): DeliveryRecord => ({ id: newId('msg'), workspaceId: ws.id, approvalId: a.id, kind: 'callback', target: 'http://x/', body: '{}', status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: now, updatedAt: now }));
      await store.approvals.transition({ approval: { ...a, status: 'approved', decidedAt: now, updatedAt: now }, now, expectedVersion: 0, requireUnexpired: true, events: [], deliveries });
    }
    await store.close();

    const claimer = promisify(execFile);
    const runs = await Promise.all(
      [1, 2, 3].map((n) => claimer(process.execPath, ['--import', 'tsx', 'test/support/claim-deliveries.ts', file, `claimer-${n}`], { cwd: ROOT })),
    );
    const perProcess = runs.map((r) => JSON.parse(r.stdout) as string[]);
    const all = perProcess.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });

  it('sends each callback once when two instances share one store', async () => {
    const temp = makeTempDir('two-instances');
    temps.push(temp);
    const { server: a, receiver, close } = await startServerAndReceiver({ dataDir: temp.dir });
    const b = await startTestServer({ dataDir: temp.dir });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const via = i % 2 ? a : b;
        const { approval } = await via.intake.createApproval(seed000Filled(String(i), `${receiver.url}/cb`));
        ids.push(approval.approvalId);
      }
      await Promise.all(ids.map((id, i) => (i % 3 ? a : b).review.decide(id, { decision: 'approve', reviewer })));
      await receiver.waitFor((r) => r.length >= 30);
      await new Promise((r) => setTimeout(r, 500)); // room for any duplicate to show up
      const webhookIds = receiver.received.map((r) => r.headers['webhook-id']);
      expect(webhookIds).toHaveLength(30);
      expect(new Set(webhookIds).size).toBe(30);
      expect(new Set(receiver.received.map((r) => r.json.approvalId))).toEqual(new Set(ids));
    } finally {
      await b.stop();
      await close();
    }
  });
});
