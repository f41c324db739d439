// One kind of outbound delivery (a callback, a ticket note, a conversation note, …) as a plug-in:
// what it plans when an approval changes, and how it sends one delivery and classifies the outcome.
// The kinds are registered in one place (app/delivery-kinds.ts); the outbox and the worker plan,
// claim, lease, retry and audit without knowing any kind.
import type { ApprovalTransition } from '../approvals/approval-effects';
import type { OutboxStore } from '../approvals/ports';
import type { ApprovalRecord, DeliveryRecord } from '../approvals/records';
import type { WorkspaceRecord } from '../approvals/workspace-records';

export type { ApprovalTransition } from '../approvals/approval-effects';

/** An approval that just changed, as a delivery kind sees it. */
export interface ApprovalChange {
  transition: ApprovalTransition;
  /** The approval as the change leaves it. */
  approval: ApprovalRecord;
  workspace: WorkspaceRecord;
}

/** What one attempt came to. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
  /** The receiver asked us to stop (410) or the delivery can never succeed. */
  permanent: boolean;
  durationMs: number;
  /**
   * Never sent: refused by the callback guard before connecting (a private address), or held back by
   * its kind (a Slack update waiting for its message to be posted). Says nothing about the host.
   */
  blocked?: boolean;
  /** Not sent, and never will be: a later delivery about the approval says more (recorded as `superseded`). */
  superseded?: boolean;
}

export interface DeliveryKind {
  /** Stored as DeliveryRecord.kind; never renamed, since undelivered rows carry it. */
  readonly name: string;
  /** The deliveries this kind sends for the change (none is fine); written in the change's transaction. */
  plan(change: ApprovalChange): DeliveryRecord[];
  /** Sends one delivery of this kind for its workspace (as it is now) and says what happened. */
  send(delivery: DeliveryRecord, workspace: WorkspaceRecord): Promise<AttemptResult>;
}

/** The registered kinds, by name. */
export class DeliveryKinds {
  private readonly byName: ReadonlyMap<string, DeliveryKind>;

  constructor(readonly all: readonly DeliveryKind[]) {
    this.byName = new Map(all.map((kind) => [kind.name, kind]));
    if (this.byName.size !== all.length) throw new Error('two delivery kinds share a name');
  }

  get(name: string): DeliveryKind | undefined {
    return this.byName.get(name);
  }
}

/** An attempt that never left: nothing was sent, and retrying cannot help. */
export function givenUp(error: string): AttemptResult {
  return { ok: false, statusCode: null, error, retryAfterMs: null, permanent: true, durationMs: 0 };
}

/**
 * When the approval already has a delivery of `laterKind` (written by a later change), this one has
 * nothing left to say: it ends without being sent. Null: send it.
 */
export async function supersededBy(outbox: Pick<OutboxStore, 'list'>, delivery: DeliveryRecord, laterKind: string): Promise<AttemptResult | null> {
  const later = (await outbox.list(delivery.workspaceId, delivery.approvalId)).some((other) => other.kind === laterKind && other.id !== delivery.id);
  return later ? superseded(`a later ${laterKind} delivery supersedes it`) : null;
}

/** An attempt that ends a delivery unsent because a later one makes it moot. */
export function superseded(why: string): AttemptResult {
  return { ok: true, statusCode: null, error: `not sent: ${why}`, retryAfterMs: null, permanent: false, durationMs: 0, superseded: true };
}
