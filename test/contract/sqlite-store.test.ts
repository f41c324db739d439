import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/src/store/sqlite/schema';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
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
        expect(await store.claimDeliveries({ ...claim, hostRoom: { 'receiver.example.com:8443': 0 } })).toEqual([]);
        expect(await store.nextDeliveryDueAt({ workspaceIds: [], hosts: ['receiver.example.com:8443'] })).toBeNull();
        expect(await store.claimDeliveries(claim)).toMatchObject([{ id: 'msg_old', attempts: 2 }]);
      } finally {
        await store.close();
      }
    } finally {
      temp.remove();
    }
  });
});
