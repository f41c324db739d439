import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@countersign/shared';
import { newId } from '@countersign/server/approvals';
import type { ApprovalRecord } from '@countersign/server/approvals';
import { MIGRATIONS } from '@countersign/server/store/sqlite';
import { SqliteStore } from '@countersign/server/store/sqlite';
import { isWriteFailure } from '@countersign/server/store';
import { makeTempDir } from '../support/temp-dir';
import { storeContract } from './store.contract';

storeContract('sqlite', async () => {
  const temp = makeTempDir('sqlite-contract');
  const store = new SqliteStore(path.join(temp.dir, 'countersign.sqlite'));
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      temp.remove();
    },
  };
});

describe('sqlite migrations', () => {
  it('gives deliveries written before destination hosts were stored their host, so claims cap and skip them by it', async () => {
    const temp = makeTempDir('sqlite-migration');
    const file = path.join(temp.dir, 'countersign.sqlite');
    try {
      // A store as version 2 left it, with a pending delivery and no target_host column.
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!);
      old.exec(MIGRATIONS[1]!);
      old.pragma('user_version = 2');
      old.prepare(
        `INSERT INTO deliveries (id, workspace_id, approval_id, kind, target, body, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES ('msg_old', 'ws_1', 'apr_1', 'callback', 'https://Receiver.example.com:8443/cb?token=x', '{}', 'pending', 1, 1000, 1000, 1000)`,
      ).run();
      old.close();

      const store = new SqliteStore(file);
      await store.init();
      try {
        const claim = { now: 2000, owner: 'w1', leaseMs: 1000, limit: 10 };
        expect(await store.outbox.claim({ ...claim, hostRoom: { 'receiver.example.com:8443': 0 } })).toEqual([]);
        expect(await store.outbox.nextDueAt({ workspaceIds: [], hosts: ['receiver.example.com:8443'] })).toBeNull();
        expect(await store.outbox.claim(claim)).toMatchObject([{ id: 'msg_old', attempts: 2 }]);
      } finally {
        await store.close();
      }
    } finally {
      temp.remove();
    }
  });
});

describe('sqlite group commit when the disk fills up mid-batch', () => {
  /**
   * SQLITE_FULL (here from max_page_count on the store's own connection, a real refusal by SQLite)
   * rolls back the whole batch transaction, the savepoints of writes that had succeeded included.
   * No write of the batch may then be committed on its own, and none answered as written.
   */
  it('rejects every write of the batch as a write failure and commits none of them', async () => {
    const temp = makeTempDir('sqlite-full');
    const store = new SqliteStore(path.join(temp.dir, 'countersign.sqlite'));
    await store.init();
    try {
      const now = Date.now();
      const workspace = { id: newId('ws'), name: 'full', createdAt: now, settings: { defaultExpiresInSeconds: 3600 }, secrets: {} };
      await store.workspaces.create(workspace);
      const approval = (details: JsonObject): ApprovalRecord => ({
        id: newId('apr'), workspaceId: workspace.id, status: 'pending', action: 'a', summary: 's', details, riskLevel: 'low', priority: 'normal',
        justification: null, agentName: null, metadata: null, context: null, callbackUrl: null, createdAt: now, updatedAt: now, expiresAt: now + 3600_000,
        decidedAt: null, decidedBy: null, decisionNote: null, modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: null, version: 0, requestedBy: null, requirement: null, approvals: [],
      });
      const created = (a: ApprovalRecord) => store.approvals.create(a, [{ id: newId('evt'), workspaceId: workspace.id, approvalId: a.id, type: 'approval.created', at: now, data: {} }]);
      // The store's own connection (private: only a fault-injection test reaches for it).
      const db = (store as unknown as { db: { db: Database.Database } }).db.db;
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      // Queued in one event-loop turn: one batch. The middle one needs pages the file may not grow by.
      const batch = [approval({ n: 1 }), approval({ big: 'x'.repeat(200_000) }), approval({ n: 3 })];
      const outcomes = await Promise.allSettled(batch.map(created));
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const outcome of outcomes) expect(isWriteFailure((outcome as PromiseRejectedResult).reason), String((outcome as PromiseRejectedResult).reason)).toBe(true);
      db.pragma('max_page_count = 1073741823');
      for (const a of batch) expect(await store.approvals.get(workspace.id, a.id)).toBeNull();
      await created(batch[0]!);
      expect(await store.approvals.get(workspace.id, batch[0]!.id)).not.toBeNull();
    } finally {
      await store.close();
      temp.remove();
    }
  });
});

describe('sqlite WAL checkpoints', () => {
  it('are made by a worker thread, not inside the server\'s commits: the database file takes the WAL\'s pages while the server\'s connection never checkpoints', async () => {
    const temp = makeTempDir('sqlite-checkpoint');
    const file = path.join(temp.dir, 'countersign.sqlite');
    const store = new SqliteStore(file);
    await store.init();
    try {
      const db = (store as unknown as { db: { db: Database.Database } }).db.db;
      // The server's own connection never checkpoints on commit.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = fs.statSync(file).size;
      const now = Date.now();
      // About 2 MB of workspaces, each its own commit: far past SQLite's automatic threshold (1000 pages).
      for (let i = 0; i < 200; i++) {
        await store.workspaces.create({ id: newId('ws'), name: `w${i}`, createdAt: now, settings: { defaultExpiresInSeconds: 3600, padding: 'x'.repeat(10_000) }, secrets: {} });
      }
      const deadline = Date.now() + 20_000;
      while (fs.statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fs.statSync(file).size).toBeGreaterThan(before + 1_000_000);
      expect(await store.workspaces.list()).toHaveLength(200);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
