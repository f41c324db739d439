// Reviewer sessions waiting for the sidebar that asked for them, in the embedded store.
import type { SessionHandoffRecord, SessionHandoffStore } from '../../approvals/ports';
import type { SqliteDatabase } from './database';

export class SqliteSessionHandoffs implements SessionHandoffStore {
  constructor(private readonly db: SqliteDatabase) {}

  put(handoff: SessionHandoffRecord): Promise<boolean> {
    return this.db.immediate(
      () =>
        this.db.run(
          'INSERT OR IGNORE INTO session_handoffs (id, workspace_id, sealed_session, expires_at) VALUES (?, ?, ?, ?)',
          handoff.id, handoff.workspaceId, handoff.sealedSession, handoff.expiresAt,
        ) === 1,
    );
  }

  /** One DELETE … RETURNING: the row is gone in the statement that reads it, so a second take finds nothing. */
  take(workspaceId: string, id: string, now: number): Promise<SessionHandoffRecord | null> {
    return this.db.immediate(() => {
      const row = this.db.one('DELETE FROM session_handoffs WHERE id = ? AND workspace_id = ? RETURNING *', id, workspaceId);
      if (!row || (row.expires_at as number) <= now) return null;
      return { id: row.id as string, workspaceId: row.workspace_id as string, sealedSession: row.sealed_session as string, expiresAt: row.expires_at as number };
    });
  }

  prune(before: number): Promise<number> {
    return this.db.immediate(() => this.db.run('DELETE FROM session_handoffs WHERE expires_at < ?', before));
  }
}
