// What the canvas router needs from Countersign. The server implements it over its approval service
// (server/src/integrations/intercom/canvas-backend.ts); every call is scoped to one workspace.
import type { ApprovalView, DecisionInput } from '@countersign/shared';

/** The teammate deciding in the inbox: the `admin` of Intercom's signed request. */
export interface CanvasReviewer {
  id: string;
  name: string;
  email?: string;
  via: 'intercom';
  /** The teammate's team ids, when Intercom's signed request carries them (else Countersign looks them up). */
  teams?: string[];
}

/** What a decision from the inbox came to. */
export interface CanvasDecisionResult {
  /** As the deciding teammate now sees it (with canDecide): settled, or still pending awaiting more approvals. */
  approval: ApprovalView;
  /** Another decision won (approval then shows the winner). */
  conflict: boolean;
  /** Why this teammate may not decide it (not eligible, their own request, already approved), or null. */
  refusal: string | null;
}

export interface CanvasBackend {
  /** The Countersign workspace id for an Intercom workspace id, or null when that workspace is not connected. */
  workspaceFor(intercomWorkspaceId: string): Promise<string | null>;
  /** Newest first; pending and recently decided requests of this conversation. */
  listForConversation(workspaceId: string, conversationId: string): Promise<ApprovalView[]>;
  /** With `reviewer`, the view says whether that teammate may decide it now (canDecide, cannotDecideReason). */
  get(workspaceId: string, approvalId: string, reviewer?: CanvasReviewer): Promise<ApprovalView | null>;
  /** The teammate's decision, as Countersign's rules for that request allow it. */
  decide(workspaceId: string, approvalId: string, decision: Omit<DecisionInput, 'reviewer'>, reviewer: CanvasReviewer): Promise<CanvasDecisionResult>;
  /** A link to view the whole request (for shortened canvases), or null. */
  approvalLink(workspaceId: string, approvalId: string): string | null;
}
