// What the sidebar tells the agent after something happened. Text is chosen at render time, in the
// agent's language; a notice only carries the facts.
import type { ApprovalView } from '@countersign/shared';

export type SuccessOutcome = 'approved' | 'approvedWithChanges' | 'rejected';

export type NoticeFacts =
  | { kind: 'unreachable'; retry: () => void }
  | { kind: 'unauthorized' }
  | { kind: 'busy'; retry: () => void }
  | { kind: 'conflict'; approval: ApprovalView | null }
  /** `message` is null when Countersign's answer could not be understood at all. */
  | { kind: 'error'; message: string | null; retry?: () => void }
  | { kind: 'success'; outcome: SuccessOutcome; action: string }
  /** An approval that counted without settling the request (a quorum): `remaining` more must follow. */
  | { kind: 'recorded'; remaining: number }
  /** 409 already_approved: this agent's approval is already counted. */
  | { kind: 'alreadyApproved'; remaining: number }
  /** 403 reviewer_not_eligible / self_approval: Countersign's reason, in its own words. */
  | { kind: 'refused'; message: string };

export type NoticeKind = NoticeFacts['kind'];

/** `origin` lets a good list refresh clear the list's own failure without hiding a decision's. */
export type Notice = NoticeFacts & { id: number; origin: 'list' | 'decision' };
