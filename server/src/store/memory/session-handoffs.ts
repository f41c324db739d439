// Reviewer sessions waiting for the sidebar that asked for them, in memory.
import type { SessionHandoffRecord, SessionHandoffStore } from '../../approvals/ports';
import { copy, type MemoryTables } from './tables';

export class MemorySessionHandoffs implements SessionHandoffStore {
  constructor(private readonly tables: MemoryTables) {}

  async put(handoff: SessionHandoffRecord): Promise<boolean> {
    if (this.tables.sessionHandoffs.has(handoff.id)) return false;
    this.tables.sessionHandoffs.set(handoff.id, copy(handoff));
    return true;
  }

  async take(workspaceId: string, id: string, now: number): Promise<SessionHandoffRecord | null> {
    const handoff = this.tables.sessionHandoffs.get(id);
    if (!handoff || handoff.workspaceId !== workspaceId) return null;
    this.tables.sessionHandoffs.delete(id);
    return handoff.expiresAt > now ? copy(handoff) : null;
  }

  async prune(before: number): Promise<number> {
    let pruned = 0;
    for (const [id, handoff] of this.tables.sessionHandoffs) {
      if (handoff.expiresAt >= before) continue;
      this.tables.sessionHandoffs.delete(id);
      pruned++;
    }
    return pruned;
  }
}
