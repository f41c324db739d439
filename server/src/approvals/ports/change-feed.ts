// The change feed: every committed change of an approval (its approval.* audit events), in commit
// order, with a sequence number the store assigns as it commits. The live stream tails it, and a
// client that reconnects resumes from the last sequence it saw, on any instance sharing the store.

export interface ApprovalChange {
  /** Increases with commit order across every instance sharing the store. */
  seq: number;
  workspaceId: string;
  approvalId: string;
  /** The audit event's type: approval.created, approval.approved, … */
  type: string;
  at: number;
}

export interface ChangeFeed {
  /** Changes committed after `afterSeq`, oldest first, at most `limit`; one workspace's when given. */
  since(afterSeq: number, limit: number, workspaceId?: string): Promise<ApprovalChange[]>;
  /** The sequence of the newest committed change; 0 when there is none. */
  latest(): Promise<number>;
}
