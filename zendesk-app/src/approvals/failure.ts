// Sorts whatever a Countersign call threw into the few cases the agent can act on differently.
import { CountersignApiError, type ApprovalView } from '@countersign/shared';

export type Failure =
  | { kind: 'unreachable' }
  | { kind: 'unauthorized' }
  /** 403 reviewer_unverified: the agent's Zendesk session is missing or over; they confirm again. */
  | { kind: 'unverified' }
  /** Countersign's rate limit (429): nothing was done; trying again shortly will work. */
  | { kind: 'busy' }
  | { kind: 'conflict'; approval: ApprovalView | null }
  /** 409 already_approved: the request still waits, for someone else. */
  | { kind: 'alreadyApproved'; approval: ApprovalView | null }
  /** 403 for who the agent is, not for the key: the policy's reviewers, or four eyes. */
  | { kind: 'refused'; message: string }
  | { kind: 'error'; message: string | null };

/** 403s that are about this agent and this request (the key is fine). */
const REFUSALS = new Set(['reviewer_not_eligible', 'self_approval']);

/** No answer (0), or a gateway in front of Countersign saying it has none either. */
const UNREACHABLE_STATUSES = new Set([0, 502, 503, 504]);

export function classifyFailure(error: unknown): Failure {
  if (error instanceof CountersignApiError) {
    if (UNREACHABLE_STATUSES.has(error.status)) return { kind: 'unreachable' };
    if (error.status === 403 && error.code === 'reviewer_unverified') return { kind: 'unverified' };
    if (error.status === 403 && REFUSALS.has(error.code)) return { kind: 'refused', message: error.message };
    // 403: a key that exists but may not review (an intake key pasted into the setting) needs the same fix.
    if (error.status === 401 || error.status === 403) return { kind: 'unauthorized' };
    if (error.status === 409 && error.code === 'already_approved') return { kind: 'alreadyApproved', approval: error.approval };
    if (error.status === 429) return { kind: 'busy' };
    if (error.status === 409) return { kind: 'conflict', approval: error.approval };
    return { kind: 'error', message: error.message };
  }
  // A 2xx whose body does not match the API's schema.
  if (error instanceof Error && error.name === 'ZodError') return { kind: 'error', message: null };
  return { kind: 'error', message: error instanceof Error ? error.message : null };
}
