// The change feed in memory: the approval events in the order they were written.
import type { ApprovalChange, ChangeFeed } from '../../approvals/ports';
import { copy, type MemoryTables } from './tables';

export class MemoryChanges implements ChangeFeed {
  constructor(private readonly tables: MemoryTables) {}

  async since(afterSeq: number, limit: number, workspaceId?: string): Promise<ApprovalChange[]> {
    const found: ApprovalChange[] = [];
    for (let i = Math.max(0, afterSeq); i < this.tables.changes.length && found.length < limit; i++) {
      const change = this.tables.changes[i]!;
      if (workspaceId === undefined || change.workspaceId === workspaceId) found.push(copy(change));
    }
    return found;
  }

  async latest(): Promise<number> {
    return this.tables.changes.length;
  }
}
