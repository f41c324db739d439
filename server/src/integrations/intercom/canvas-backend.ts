// What the Canvas Kit router (intercom-canvas/) needs from Countersign: the workspace linked to an
// Intercom workspace, its conversation's requests, and decisions, all scoped to that workspace.
import type { ApprovalView, DecisionInput } from '@countersign/shared';
import { DecisionBody } from '@countersign/shared';
import type { CanvasBackend } from '@countersign/intercom-canvas';
import type { ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import { approvalView } from '../../http/approval-view';
import type { IntercomSettings } from './intercom-settings';

const CONVERSATION_PAGE = 25;

export function intercomCanvasBackend(deps: { service: ApprovalService; intercom: IntercomSettings; approvalLink: (workspaceId: string, approvalId: string) => string }): CanvasBackend {
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
    async decide(workspaceId, approvalId, input: DecisionInput): Promise<{ approval: ApprovalView; conflict: boolean }> {
      try {
        return { approval: approvalView(await deps.service.decide(workspaceId, approvalId, DecisionBody.parse(input))), conflict: false };
      } catch (error) {
        const current = error instanceof AppError && error.kind === 'conflict' ? error.details.approval : undefined;
        if (current) return { approval: approvalView(current), conflict: true };
        throw error;
      }
    },
    approvalLink: (workspaceId, approvalId) => deps.approvalLink(workspaceId, approvalId),
  };
}
