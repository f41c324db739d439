// Policy documents, version by version, in the embedded store.
import type { PolicyRecord, PolicyStore } from '../../approvals/ports';
import { isUniqueViolation, type SqliteDatabase } from './database';
import type { Row } from './rows';

export class SqlitePolicies implements PolicyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async current(workspaceId: string): Promise<PolicyRecord | null> {
    const row = this.db.one('SELECT * FROM policies WHERE workspace_id = ? ORDER BY version DESC LIMIT 1', workspaceId);
    return row ? policyFromRow(row) : null;
  }

  async get(workspaceId: string, version: number): Promise<PolicyRecord | null> {
    const row = this.db.one('SELECT * FROM policies WHERE workspace_id = ? AND version = ?', workspaceId, version);
    return row ? policyFromRow(row) : null;
  }

  /** The primary key (workspace, version) makes the compare-and-set: a second writer of a version loses. */
  save(record: PolicyRecord): Promise<boolean> {
    return this.db.immediate(() => {
      const newest = (this.db.one('SELECT MAX(version) AS v FROM policies WHERE workspace_id = ?', record.workspaceId)?.v as number | null) ?? 0;
      if (newest !== record.version - 1) return false;
      try {
        this.db.run('INSERT INTO policies (workspace_id, version, document, created_at, set_by) VALUES (?, ?, ?, ?, ?)',
          record.workspaceId, record.version, JSON.stringify(record.document), record.createdAt, record.setBy);
      } catch (error) {
        if (isUniqueViolation(error) || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
        throw error;
      }
      return true;
    });
  }
}

function policyFromRow(row: Row): PolicyRecord {
  return {
    workspaceId: row.workspace_id as string,
    version: row.version as number,
    document: JSON.parse(row.document as string) as PolicyRecord['document'],
    createdAt: row.created_at as number,
    setBy: row.set_by as string,
  };
}
