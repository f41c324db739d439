// Policy documents, version by version, in memory.
import type { PolicyRecord, PolicyStore } from '../../approvals/ports';
import { copy, type MemoryTables } from './tables';

export class MemoryPolicies implements PolicyStore {
  constructor(private readonly tables: MemoryTables) {}

  async current(workspaceId: string): Promise<PolicyRecord | null> {
    const versions = this.tables.policies.get(workspaceId) ?? [];
    const newest = versions.at(-1);
    return newest ? copy(newest) : null;
  }

  async get(workspaceId: string, version: number): Promise<PolicyRecord | null> {
    const found = (this.tables.policies.get(workspaceId) ?? []).find((record) => record.version === version);
    return found ? copy(found) : null;
  }

  async save(record: PolicyRecord): Promise<boolean> {
    const versions = this.tables.policies.get(record.workspaceId) ?? [];
    if ((versions.at(-1)?.version ?? 0) !== record.version - 1) return false;
    this.tables.policies.set(record.workspaceId, [...versions, copy(record)]);
    return true;
  }
}
