// Workspaces and API keys in memory.
import { AppError } from '../../approvals/errors';
import type { KeyStore, WorkspaceStore } from '../../approvals/ports';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';
import { compareIds, copy, duplicateKey, type MemoryTables } from './tables';

const byCreation = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) => a.createdAt - b.createdAt || compareIds(a.id, b.id);

export class MemoryWorkspaces implements WorkspaceStore {
  constructor(private readonly tables: MemoryTables) {}

  async create(w: WorkspaceRecord): Promise<void> {
    if ([...this.tables.workspaces.values()].some((other) => other.name === w.name)) {
      throw new AppError('conflict', 'workspace_exists', `A workspace named "${w.name}" already exists.`);
    }
    if (this.tables.workspaces.has(w.id)) throw duplicateKey('workspaces', w.id);
    this.tables.workspaces.set(w.id, copy(w));
  }

  async get(id: string): Promise<WorkspaceRecord | null> {
    const workspace = this.tables.workspaces.get(id);
    return workspace ? copy(workspace) : null;
  }

  async findByName(name: string): Promise<WorkspaceRecord | null> {
    const workspace = [...this.tables.workspaces.values()].find((w) => w.name === name);
    return workspace ? copy(workspace) : null;
  }

  async list(): Promise<WorkspaceRecord[]> {
    return [...this.tables.workspaces.values()].sort(byCreation).map(copy);
  }

  async update(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void> {
    const workspace = this.tables.workspaces.get(id);
    if (workspace) Object.assign(workspace, copy({ settings: change.settings, secrets: change.secrets }));
  }
}

export class MemoryKeys implements KeyStore {
  constructor(private readonly tables: MemoryTables) {}

  async create(k: ApiKeyRecord): Promise<void> {
    if (this.tables.keys.has(k.id)) throw duplicateKey('api_keys', k.id);
    // The hash is unique (SQLite's UNIQUE): not named in the message, being a credential's digest.
    if ([...this.tables.keys.values()].some((other) => other.hash === k.hash)) throw duplicateKey('api_keys', 'a key with that hash');
    this.tables.keys.set(k.id, copy(k));
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const key = [...this.tables.keys.values()].find((k) => k.hash === hash);
    return key ? copy(key) : null;
  }

  async list(workspaceId?: string): Promise<ApiKeyRecord[]> {
    return [...this.tables.keys.values()].filter((k) => !workspaceId || k.workspaceId === workspaceId).sort(byCreation).map(copy);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const key = this.tables.keys.get(id);
    if (!key || key.revokedAt !== null) return false;
    key.revokedAt = at;
    return true;
  }
}
