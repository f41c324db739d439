// Workspaces and API keys in the embedded store.
import { AppError } from '../../approvals/errors';
import type { KeyStore, WorkspaceStore } from '../../approvals/ports';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';
import { isUniqueViolation, type SqliteDatabase } from './database';
import { keyFromRow, workspaceFromRow } from './rows';

export class SqliteWorkspaces implements WorkspaceStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(w: WorkspaceRecord): Promise<void> {
    try {
      this.db.run(
        'INSERT INTO workspaces (id, name, created_at, settings, secrets) VALUES (?, ?, ?, ?, ?)',
        w.id, w.name, w.createdAt, JSON.stringify(w.settings), JSON.stringify(w.secrets),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', 'workspace_exists', `A workspace named "${w.name}" already exists.`);
      throw error;
    }
  }

  async get(id: string): Promise<WorkspaceRecord | null> {
    const row = this.db.one('SELECT * FROM workspaces WHERE id = ?', id);
    return row ? workspaceFromRow(row) : null;
  }

  async findByName(name: string): Promise<WorkspaceRecord | null> {
    const row = this.db.one('SELECT * FROM workspaces WHERE name = ?', name);
    return row ? workspaceFromRow(row) : null;
  }

  async list(): Promise<WorkspaceRecord[]> {
    return this.db.all('SELECT * FROM workspaces ORDER BY created_at, id').map(workspaceFromRow);
  }

  async update(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void> {
    this.db.run('UPDATE workspaces SET settings = ?, secrets = ? WHERE id = ?', JSON.stringify(change.settings), JSON.stringify(change.secrets), id);
  }
}

export class SqliteKeys implements KeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(k: ApiKeyRecord): Promise<void> {
    this.db.run(
      'INSERT INTO api_keys (id, workspace_id, scope, prefix, hash, label, created_at, revoked_at, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      k.id, k.workspaceId, k.scope, k.prefix, k.hash, k.label, k.createdAt, k.revokedAt, k.reviewer ? JSON.stringify(k.reviewer) : null,
    );
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const row = this.db.one('SELECT * FROM api_keys WHERE hash = ?', hash);
    return row ? keyFromRow(row) : null;
  }

  async list(workspaceId?: string): Promise<ApiKeyRecord[]> {
    const rows = workspaceId
      ? this.db.all('SELECT * FROM api_keys WHERE workspace_id = ? ORDER BY created_at, id', workspaceId)
      : this.db.all('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows.map(keyFromRow);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    return this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id) === 1;
  }
}
