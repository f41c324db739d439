// Workspaces and their API keys.
import type { ApiKeyRecord, WorkspaceRecord } from '../workspace-records';

export interface WorkspaceStore {
  /** Throws AppError('conflict') when the name is taken. */
  create(workspace: WorkspaceRecord): Promise<void>;
  get(id: string): Promise<WorkspaceRecord | null>;
  findByName(name: string): Promise<WorkspaceRecord | null>;
  list(): Promise<WorkspaceRecord[]>;
  update(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void>;
}

export interface KeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  list(workspaceId?: string): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: number): Promise<boolean>;
}
