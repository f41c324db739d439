// The reviewer a review key's request speaks for, from the credential alone: a personal key's person,
// a delegating key (its user named in the body), or the Zendesk app's key with the agent session
// Zendesk vouched for (X-Countersign-Reviewer), if the request carries a valid one.
import type { Request } from 'express';
import { decisionAccess } from '../approvals/approval-service';
import { AppError } from '../approvals/errors';
import type { ApprovalRecord } from '../approvals/records';
import { verifyReviewer, type ReviewerPrincipal, type ZendeskAgent } from '../approvals/reviewer-identity';
import type { ApiKeyRecord } from '../approvals/workspace-records';

export const REVIEWER_SESSION_HEADER = 'x-countersign-reviewer';

/** Verifies an agent session token for a workspace (integrations/zendesk/reviewer-sessions.ts). */
export interface ReviewerSessionVerifier {
  verify(token: string, workspaceId: string): ZendeskAgent | null;
  /** The session's workspace and agent, for a request that carries the session alone (the stream). */
  open(token: string): { workspaceId: string; agent: ZendeskAgent } | null;
}

export function reviewerPrincipal(key: ApiKeyRecord, req: Request, sessions: ReviewerSessionVerifier): ReviewerPrincipal {
  const person = key.reviewer;
  if (person?.kind === 'personal') return { kind: 'personal', keyId: key.id, person: { id: person.id, name: person.name, ...(person.email ? { email: person.email } : {}) } };
  if (person?.kind === 'delegating') return { kind: 'delegating', keyId: key.id };
  const token = req.get(REVIEWER_SESSION_HEADER)?.trim();
  return { kind: 'app', keyId: key.id, agent: token ? sessions.verify(token, key.workspaceId) : null };
}

export type DecisionAccess = { canDecide: boolean; cannotDecideReason: string | null; cannotDecideCode: string | null } | Record<string, never>;

/**
 * For answers to a reviewer: whether this caller may decide each approval now, and why not. A
 * delegating key decides for whoever its tool names, so nothing can be said for it in advance.
 */
export function accessFor(principal: ReviewerPrincipal): (approval: ApprovalRecord) => DecisionAccess {
  if (principal.kind === 'delegating') return () => ({});
  let who;
  try {
    who = verifyReviewer(principal, undefined);
  } catch (error) {
    const refusal = error instanceof AppError ? { reason: error.message, code: error.code } : { reason: 'Cannot decide.', code: 'forbidden' };
    return () => ({ canDecide: false, cannotDecideReason: refusal.reason, cannotDecideCode: refusal.code });
  }
  return (approval) => {
    const access = decisionAccess(approval, who);
    return { canDecide: access.canDecide, cannotDecideReason: access.reason, cannotDecideCode: access.code };
  };
}
