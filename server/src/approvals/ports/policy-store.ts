// A workspace's policy documents, one version after another; the newest is in force.
import type { PolicyDocument } from '@countersign/shared';

export interface PolicyRecord {
  workspaceId: string;
  /** 1, 2, 3…; the empty policy every workspace starts with is version 0 and is never stored. */
  version: number;
  document: PolicyDocument;
  createdAt: number;
  /** Who set it (an admin key's id, or "cli"). */
  setBy: string;
}

export interface PolicyStore {
  /** The newest version, or null while the workspace has none. */
  current(workspaceId: string): Promise<PolicyRecord | null>;
  get(workspaceId: string, version: number): Promise<PolicyRecord | null>;
  /**
   * Stores `record` as the next version if the newest is still `record.version - 1` (0: none yet);
   * false when another version was stored first.
   */
  save(record: PolicyRecord): Promise<boolean>;
}
