// What a change to an approval causes beyond the store, as the domain asks for it: the outbox plans
// the deliveries written with the change (delivery/outbox.ts implements DeliveryPlanner), and
// observers learn of the change once it is committed (waiters holding intake responses, …).
import type { ApprovalRecord, DeliveryRecord } from './records';
import type { WorkspaceRecord } from './workspace-records';

/**
 * What happened to an approval, as the deliveries it causes are planned: it came in needing a human
 * (`created`), left `pending` (`settled`: approved, rejected, expired or cancelled), gained an approval
 * that does not settle it yet (`voted`: a quorum is still short), or was followed up while it waits
 * (`reminded`, `escalated`).
 */
export type ApprovalTransition = 'created' | 'settled' | 'voted' | 'reminded' | 'escalated';

export interface DeliveryPlanner {
  /**
   * The deliveries the change causes, to be written in the change's transaction. `workspace`: the
   * approval's, when the caller has just read it (intake has), saving the planner a read of its own.
   */
  plan(approval: ApprovalRecord, transition: ApprovalTransition, workspace?: WorkspaceRecord): Promise<DeliveryRecord[]>;
  /** They were written: send them. */
  committed(deliveries: DeliveryRecord[]): void;
  /** The settlement was not written (another won, or the store failed): they never will be. */
  discarded(deliveries: DeliveryRecord[]): void;
}

export interface ApprovalObserver {
  /** Called after a change to the approval was committed, with the approval as it now stands. */
  approvalChanged(approval: ApprovalRecord): void;
}

/** Refuses callback URLs the outbox would not call (SSRF), at intake, for a clear answer. */
export interface CallbackUrlPolicy {
  /** Why the URL may not be used (a private address, …), or null when it may. */
  intakeProblem(url: string): Promise<string | null>;
}
