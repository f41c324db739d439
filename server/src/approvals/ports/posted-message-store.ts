// Messages posted about approvals on chat platforms (Slack), so a later delivery finds the message it
// must edit or reply under. One message per approval and role.
import type { PostedMessageRecord } from '../records';

export interface PostedMessageStore {
  /**
   * Records the message unless one is recorded for the same approval and role (a retried post that
   * went out twice keeps the first); answers the one stored afterwards.
   */
  record(message: PostedMessageRecord): Promise<PostedMessageRecord>;
  get(workspaceId: string, approvalId: string, role: PostedMessageRecord['role']): Promise<PostedMessageRecord | null>;
  /** The approval's messages, in the order they were posted. */
  list(workspaceId: string, approvalId: string): Promise<PostedMessageRecord[]>;
}
