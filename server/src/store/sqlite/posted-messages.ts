// Messages posted about approvals (Slack), in the embedded store.
import type { PostedMessageStore } from '../../approvals/ports';
import type { PostedMessageRecord } from '../../approvals/records';
import type { SqliteDatabase } from './database';
import { postedMessageFromRow } from './rows';

export class SqlitePostedMessages implements PostedMessageStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** The primary key (workspace, approval, role) keeps the first one recorded. */
  record(message: PostedMessageRecord): Promise<PostedMessageRecord> {
    return this.db.immediate(() => {
      this.db.run(
        'INSERT OR IGNORE INTO posted_messages (workspace_id, approval_id, role, platform, channel, message_id, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        message.workspaceId, message.approvalId, message.role, message.platform, message.channel, message.messageId, message.postedAt,
      );
      const row = this.db.one('SELECT * FROM posted_messages WHERE workspace_id = ? AND approval_id = ? AND role = ?', message.workspaceId, message.approvalId, message.role);
      return postedMessageFromRow(row!);
    });
  }

  async get(workspaceId: string, approvalId: string, role: PostedMessageRecord['role']): Promise<PostedMessageRecord | null> {
    const row = this.db.one('SELECT * FROM posted_messages WHERE workspace_id = ? AND approval_id = ? AND role = ?', workspaceId, approvalId, role);
    return row ? postedMessageFromRow(row) : null;
  }

  async list(workspaceId: string, approvalId: string): Promise<PostedMessageRecord[]> {
    return this.db.all('SELECT * FROM posted_messages WHERE workspace_id = ? AND approval_id = ? ORDER BY posted_at, role', workspaceId, approvalId).map(postedMessageFromRow);
  }
}
