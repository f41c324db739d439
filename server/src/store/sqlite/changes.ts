// The change feed on SQLite: the events table's integer primary key is assigned as each write
// transaction inserts, and SQLite runs one write transaction at a time (across processes too), so
// `seq` increases in commit order and a reader that has seen seq N has seen everything before it.
import type { ApprovalChange, ChangeFeed } from '../../approvals/ports';
import type { SqliteDatabase } from './database';
import type { Row } from './rows';

/** approval.* as a range on the type column (an index-friendly prefix match, unlike LIKE). */
const APPROVAL_TYPES = "type >= 'approval.' AND type < 'approval/'";

export class SqliteChanges implements ChangeFeed {
  constructor(private readonly db: SqliteDatabase) {}

  async since(afterSeq: number, limit: number, workspaceId?: string): Promise<ApprovalChange[]> {
    const rows = workspaceId === undefined
      ? this.db.all(`SELECT seq, workspace_id, approval_id, type, at FROM events WHERE seq > ? AND ${APPROVAL_TYPES} ORDER BY seq LIMIT ?`, afterSeq, limit)
      : this.db.all(`SELECT seq, workspace_id, approval_id, type, at FROM events WHERE workspace_id = ? AND seq > ? AND ${APPROVAL_TYPES} ORDER BY seq LIMIT ?`, workspaceId, afterSeq, limit);
    return rows.map(changeFromRow);
  }

  async latest(): Promise<number> {
    // Walks the primary key from the newest row down to the first approval change: a few rows, not the table.
    return (this.db.one(`SELECT seq FROM events WHERE ${APPROVAL_TYPES} ORDER BY seq DESC LIMIT 1`)?.seq as number | undefined) ?? 0;
  }
}

function changeFromRow(row: Row): ApprovalChange {
  return { seq: row.seq as number, workspaceId: row.workspace_id as string, approvalId: row.approval_id as string, type: row.type as string, at: row.at as number };
}
