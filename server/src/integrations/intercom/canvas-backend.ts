// What the Canvas Kit router (intercom-canvas/) needs from Countersign: the workspace linked to an
// Intercom workspace, its conversation's requests, and decisions, all scoped to that workspace.
import type { ApprovalView } from '@countersign/shared';
import { DecisionBody } from '@countersign/shared';
import type { CanvasBackend, CanvasDecisionResult, CanvasReviewer } from '@countersign/intercom-canvas';
import type { ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import type { ApprovalRecord } from '../../approvals/records';
import type { ReviewerPrincipal } from '../../approvals/reviewer-identity';
import { approvalView } from '../../http/approval-view';
import { accessFor } from '../../http/reviewer-principal';
import type { IntercomSettings } from './intercom-settings';

const CONVERSATION_PAGE = 25;

export interface CanvasBackendDeps {
  service: ApprovalService;
  intercom: IntercomSettings;
  approvalLink: (workspaceId: string, approvalId: string) => string;
  /** The teammate's team ids from Intercom, when the signed request did not carry them. */
  teams: (workspaceId: string, adminId: string) => Promise<string[]>;
}

export function intercomCanvasBackend(deps: CanvasBackendDeps): CanvasBackend {
  /** The teammate as a verified principal; their teams are looked up only when a rule names teams. */
  async function principalOf(workspaceId: string, reviewer: CanvasReviewer, needsTeams: boolean): Promise<ReviewerPrincipal> {
    const teams = reviewer.teams ?? (needsTeams ? await deps.teams(workspaceId, reviewer.id) : []);
    return { kind: 'intercom', admin: { id: reviewer.id, name: reviewer.name, ...(reviewer.email ? { email: reviewer.email } : {}), teams } };
  }

  /** The view as this teammate sees it: with whether they may decide it now, and why not. */
  async function viewFor(workspaceId: string, record: ApprovalRecord, reviewer: CanvasReviewer | undefined, principal?: ReviewerPrincipal): Promise<ApprovalView> {
    if (!reviewer) return approvalView(record);
    const who = principal ?? (await principalOf(workspaceId, reviewer, (record.requirement?.reviewers?.intercomTeams?.length ?? 0) > 0));
    return { ...approvalView(record), ...accessFor(who)(record) };
  }

  return {
    async workspaceFor(intercomWorkspaceId) {
      return (await deps.intercom.workspaceFor(intercomWorkspaceId))?.id ?? null;
    },
    async listForConversation(workspaceId, conversationId) {
      const { items } = await deps.service.list(workspaceId, { conversationId }, CONVERSATION_PAGE);
      return items.map(approvalView);
    },
    async get(workspaceId, approvalId, reviewer) {
      const record = await deps.service.get({ workspaceId }, approvalId).catch((error: unknown) => {
        if (error instanceof AppError && error.kind === 'not_found') return null;
        throw error;
      });
      return record ? viewFor(workspaceId, record, reviewer) : null;
    },
    async decide(workspaceId, approvalId, decision, reviewer): Promise<CanvasDecisionResult> {
      const principal = await principalOf(workspaceId, reviewer, true);
      try {
        const decided = await deps.service.decide(workspaceId, approvalId, DecisionBody.parse(decision), principal);
        return { approval: await viewFor(workspaceId, decided, reviewer, principal), conflict: false, refusal: null };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.kind === 'forbidden' || error.code === 'already_approved') {
          const current = error.details.approval ?? (await deps.service.get({ workspaceId }, approvalId));
          return { approval: await viewFor(workspaceId, current, reviewer, principal), conflict: false, refusal: error.message };
        }
        const current = error.kind === 'conflict' ? error.details.approval : undefined;
        if (current) return { approval: approvalView(current), conflict: true, refusal: null };
        throw error;
      }
    },
    approvalLink: (workspaceId, approvalId) => deps.approvalLink(workspaceId, approvalId),
  };
}
