// What the inbox shows next: initialize opens on the conversation's list; a submit's component id
// says which canvas follows, and approve / reject-confirm / edit-approve record a decision first.
// Every approval is re-read through the backend (scoped to the signed workspace) before use.
import type { ApprovalView, DecisionInput } from '@countersign/shared';
import type { CanvasBackend, CanvasReviewer } from './canvas-backend';
import type { ApprovalCanvasOptions } from './canvases/approval-canvas-options';
import { parseComponentId, type ApprovalVerb } from './canvases/component-ids';
import { conflictCanvas, decidedCanvas, refusedCanvas } from './canvases/decided-canvas';
import { approvalDetailCanvas } from './canvases/detail-canvas';
import { editCanvas } from './canvases/edit-canvas';
import { approvalListCanvas } from './canvases/list-canvas';
import { noConversationCanvas, notFoundCanvas } from './canvases/notice-canvases';
import { rejectCanvas } from './canvases/reject-canvas';
import { readNote } from './decisions/decision-note';
import { applyDetailEdits } from './decisions/detail-edits';
import type { CanvasObject } from './schema/canvas';

/** One signed request, resolved: whose workspace, which conversation, which teammate. */
export interface InboxRequest {
  backend: CanvasBackend;
  workspaceId: string;
  conversationId: string | null;
  reviewer: CanvasReviewer;
}

export async function initializeCanvas(request: InboxRequest): Promise<CanvasObject> {
  return conversationCanvas(request);
}

export async function submitCanvas(request: InboxRequest, componentId: string, inputValues: Readonly<Record<string, unknown>>): Promise<CanvasObject> {
  const command = parseComponentId(componentId);
  // refresh, back, and ids we never sent all lead back to the list.
  if (!command || command.verb === 'refresh' || command.verb === 'back') return conversationCanvas(request);
  const approval = await request.backend.get(request.workspaceId, command.approvalId);
  if (!approval) return notFoundCanvas(request.conversationId);
  const options: ApprovalCanvasOptions = {
    link: request.backend.approvalLink(request.workspaceId, approval.approvalId),
    conversationId: request.conversationId,
  };
  // Whatever was clicked, a request decided meanwhile shows its outcome and takes no decision.
  if (approval.status !== 'pending') return decidedCanvas(approval, options);
  return pendingCanvas(request, command.verb, approval, options, inputValues);
}

async function conversationCanvas(request: InboxRequest): Promise<CanvasObject> {
  if (!request.conversationId) return noConversationCanvas();
  const approvals = await request.backend.listForConversation(request.workspaceId, request.conversationId);
  return approvalListCanvas(approvals, request.conversationId);
}

async function pendingCanvas(
  request: InboxRequest,
  verb: ApprovalVerb,
  approval: ApprovalView,
  options: ApprovalCanvasOptions,
  inputValues: Readonly<Record<string, unknown>>,
): Promise<CanvasObject> {
  switch (verb) {
    case 'open':
      return approvalDetailCanvas(approval, options);
    case 'reject':
      return rejectCanvas(approval, options);
    case 'edit':
      return editCanvas(approval, options);
    case 'approve':
      return decide(request, approval, { decision: 'approve' }, options);
    case 'reject-confirm':
      return confirmRejection(request, approval, options, inputValues);
    case 'edit-approve':
      return approveWithChanges(request, approval, options, inputValues);
  }
}

async function confirmRejection(request: InboxRequest, approval: ApprovalView, options: ApprovalCanvasOptions, inputValues: Readonly<Record<string, unknown>>) {
  const note = readNote(inputValues);
  if (!note.ok) return rejectCanvas(approval, options, { note: note.note, problem: note.problem });
  return decide(request, approval, { decision: 'reject', ...(note.note ? { note: note.note } : {}) }, options);
}

async function approveWithChanges(request: InboxRequest, approval: ApprovalView, options: ApprovalCanvasOptions, inputValues: Readonly<Record<string, unknown>>) {
  const note = readNote(inputValues);
  const edits = applyDetailEdits(approval.details, inputValues);
  if (!edits.ok || !note.ok) {
    return editCanvas(approval, options, {
      typed: edits.typed,
      problems: edits.ok ? [] : edits.problems,
      note: note.note,
      noteProblem: note.ok ? undefined : note.problem,
    });
  }
  return decide(
    request,
    approval,
    // modifiedDetails is a merge patch: only what the teammate changed.
    { decision: 'approve', ...(edits.patch ? { modifiedDetails: edits.patch } : {}), ...(note.note ? { note: note.note } : {}) },
    options,
  );
}

async function decide(
  request: InboxRequest,
  approval: ApprovalView,
  decision: Omit<DecisionInput, 'reviewer'>,
  options: ApprovalCanvasOptions,
): Promise<CanvasObject> {
  const result = await request.backend.decide(request.workspaceId, approval.approvalId, decision, request.reviewer);
  if (result.refusal !== null) return refusedCanvas(result.approval, result.refusal, options);
  return result.conflict ? conflictCanvas(result.approval, options) : decidedCanvas(result.approval, options);
}
