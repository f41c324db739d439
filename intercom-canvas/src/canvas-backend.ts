// What the canvas router needs from Countersign. The server implements it over its approval service
// (server/src/integrations/intercom/canvas-backend.ts); every call is scoped to one workspace.
import type { ApprovalView, DecisionInput } from '@countersign/shared';

/** The teammate deciding in the inbox: the `admin` of Intercom's signed request. */
export interface CanvasReviewer {
  id: string;
  name: string;
  email?: string;
  via: 'intercom';
}

export interface CanvasBackend {
  /** The Countersign workspace id for an Intercom workspace id, or null when that workspace is not connected. */
  workspaceFor(intercomWorkspaceId: string): Promise<string | null>;
  /** Newest first; pending and recently decided requests of this conversation. */
  listForConversation(workspaceId: string, conversationId: string): Promise<ApprovalView[]>;
  get(workspaceId: string, approvalId: string): Promise<ApprovalView | null>;
  /** conflict=true when another decision won (approval then shows the winner). */
  decide(workspaceId: string, approvalId: string, input: DecisionInput): Promise<{ approval: ApprovalView; conflict: boolean }>;
  /** A link to view the whole request (for shortened canvases), or null. */
  approvalLink(workspaceId: string, approvalId: string): string | null;
}
