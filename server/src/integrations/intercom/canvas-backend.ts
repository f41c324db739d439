// What the Canvas Kit router (intercom-canvas/) needs from Countersign: the workspace linked to an
// Intercom workspace, its conversation's requests, and decisions, all scoped to that workspace.
import type { ApprovalView } from '@countersign/shared';
import { DecisionBody } from '@countersign/shared';
import type { CanvasBackend, CanvasDecisionResult } from '@countersign/intercom-canvas';
import type { ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import { approvalView } from '../../http/approval-view';
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
  return {
    async workspaceFor(intercomWorkspaceId) {
      return (await deps.intercom.workspaceFor(intercomWorkspaceId))?.id ?? null;
    },
    async listForConversation(workspaceId, conversationId) {
      const { items } = await deps.service.list(workspaceId, { conversationId }, CONVERSATION_PAGE);
      return items.map(approvalView);
    },
    async get(workspaceId, approvalId) {
      return deps.service.get({ workspaceId }, approvalId).then(approvalView, (error: unknown) => {
        if (error instanceof AppError && error.kind === 'not_found') return null;
        throw error;
      });
    },
    async decide(workspaceId, approvalId, decision, reviewer): Promise<CanvasDecisionResult> {
      try {
        const admin = { id: reviewer.id, name: reviewer.name, ...(reviewer.email ? { email: reviewer.email } : {}), teams: reviewer.teams ?? (await deps.teams(workspaceId, reviewer.id)) };
        const decided = await deps.service.decide(workspaceId, approvalId, DecisionBody.parse(decision), { kind: 'intercom', admin });
        return { approval: approvalView(decided), conflict: false, refusal: null };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.kind === 'forbidden' || error.code === 'already_approved') return { approval: approvalView(error.details.approval ?? (await deps.service.get({ workspaceId }, approvalId))), conflict: false, refusal: error.message };
        const current = error.kind === 'conflict' ? error.details.approval : undefined;
        if (current) return { approval: approvalView(current), conflict: true, refusal: null };
        throw error;
      }
    },
    approvalLink: (workspaceId, approvalId) => deps.approvalLink(workspaceId, approvalId),
  };
}
