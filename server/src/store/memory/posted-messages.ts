// Messages posted about approvals (Slack), in memory.
import type { PostedMessageStore } from '../../approvals/ports';
import type { PostedMessageRecord } from '../../approvals/records';
import { compositeKey, copy, type MemoryTables } from './tables';

export class MemoryPostedMessages implements PostedMessageStore {
  constructor(private readonly tables: MemoryTables) {}

  async record(message: PostedMessageRecord): Promise<PostedMessageRecord> {
    const key = messageKey(message.workspaceId, message.approvalId, message.role);
    if (!this.tables.postedMessages.has(key)) this.tables.postedMessages.set(key, copy(message));
    return copy(this.tables.postedMessages.get(key)!);
  }

  async get(workspaceId: string, approvalId: string, role: PostedMessageRecord['role']): Promise<PostedMessageRecord | null> {
    const found = this.tables.postedMessages.get(messageKey(workspaceId, approvalId, role));
    return found ? copy(found) : null;
  }

  async list(workspaceId: string, approvalId: string): Promise<PostedMessageRecord[]> {
    return [...this.tables.postedMessages.values()]
      .filter((m) => m.workspaceId === workspaceId && m.approvalId === approvalId)
      .sort((a, b) => a.postedAt - b.postedAt || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0))
      .map(copy);
  }
}

function messageKey(workspaceId: string, approvalId: string, role: string): string {
  return compositeKey(compositeKey(workspaceId, approvalId), role);
}
