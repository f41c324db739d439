// What the inbox shows next: initialize opens on the conversation's list; a submit's component id
// says which canvas follows, and approve / reject-confirm / edit-approve record a decision first.
// Every approval is re-read through the backend (scoped to the signed workspace, as this teammate may
// decide it) before use. An approval that does not settle the request (a quorum) shows the request
// again, recorded and waiting for the others; a refused one shows it with the reason.
import type { ApprovalView, DecisionInput } from '@countersign/shared';
import type { CanvasBackend, CanvasReviewer } from './canvas-backend';
import type { ApprovalCanvasOptions } from './canvases/approval-canvas-options';
import { parseComponentId, type ApprovalVerb } from './canvases/component-ids';
import { conflictCanvas, decidedCanvas, refusedCanvas } from './canvases/decided-canvas';
import { approvalDetailCanvas, type DetailNotice } from './canvases/detail-canvas';
import { editCanvas } from './canvases/edit-canvas';
import { approvalListCanvas } from './canvases/list-canvas';
import { noConversationCanvas, notFoundCanvas } from './canvases/notice-canvases';
import { rejectCanvas } from './canvases/reject-canvas';
import { mayDecide, recordedMessage } from './canvases/requirement';
import { readNote } from './decisions/decision-note';
import { applyDetailEdits } from './decisions/detail-edits';
import type { CanvasWords } from './i18n/canvas-words';
import type { CanvasObject } from './schema/canvas';

/** One signed request, resolved: whose workspace, which conversation, which teammate. */
export interface InboxRequest {
  backend: CanvasBackend;
  workspaceId: string;
  conversationId: string | null;
  reviewer: CanvasReviewer;
  words: CanvasWords;
}

export async function initializeCanvas(request: InboxRequest): Promise<CanvasObject> {
  return conversationCanvas(request);
}

export async function submitCanvas(request: InboxRequest, componentId: string, inputValues: Readonly<Record<string, unknown>>): Promise<CanvasObject> {
  const command = parseComponentId(componentId);
  // refresh, back, and ids we never sent all lead back to the list.
  if (!command || command.verb === 'refresh' || command.verb === 'back') return conversationCanvas(request);
  const approval = await request.backend.get(request.workspaceId, command.approvalId, request.reviewer);
  if (!approval) return notFoundCanvas(request.conversationId, request.words);
  const options: ApprovalCanvasOptions = {
    link: request.backend.approvalLink(request.workspaceId, approval.approvalId),
    conversationId: request.conversationId,
    words: request.words,
  };
  // Whatever was clicked, a request decided meanwhile shows its outcome and takes no decision.
  if (approval.status !== 'pending') return decidedCanvas(approval, options);
  return pendingCanvas(request, command.verb, approval, options, inputValues);
}

async function conversationCanvas(request: InboxRequest): Promise<CanvasObject> {
  if (!request.conversationId) return noConversationCanvas(request.words);
  const approvals = await request.backend.listForConversation(request.workspaceId, request.conversationId);
  return approvalListCanvas(approvals, request.conversationId, request.words);
}

async function pendingCanvas(
  request: InboxRequest,
  verb: ApprovalVerb,
  approval: ApprovalView,
  options: ApprovalCanvasOptions,
  inputValues: Readonly<Record<string, unknown>>,
): Promise<CanvasObject> {
  // The forms are for teammates who may decide it; anyone else sees the request and why not.
  if (verb === 'open' || ((verb === 'reject' || verb === 'edit') && !mayDecide(approval))) return approvalDetailCanvas(approval, options);
  switch (verb) {
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
  const note = readNote(inputValues, request.words);
  if (!note.ok) return rejectCanvas(approval, options, { note: note.note, problem: note.problem });
  return decide(request, approval, { decision: 'reject', ...(note.note ? { note: note.note } : {}) }, options);
}

async function approveWithChanges(request: InboxRequest, approval: ApprovalView, options: ApprovalCanvasOptions, inputValues: Readonly<Record<string, unknown>>) {
  const note = readNote(inputValues, request.words);
  const edits = applyDetailEdits(approval.details, inputValues, request.words);
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
  if (result.approval.status === 'pending' && !result.conflict) return approvalDetailCanvas(result.approval, options, stillPendingNotice(result, request.words));
  if (result.refusal !== null) return refusedCanvas(result.approval, result.refusal, options);
  return result.conflict ? conflictCanvas(result.approval, options) : decidedCanvas(result.approval, options);
}

/**
 * What to say above a request the decision left pending: the refusal, or that the approval counts and
 * more must follow. Nothing when the canvas's own "cannot decide" lines already say it (the backend
 * answers the request as this teammate now sees it).
 */
function stillPendingNotice(result: Awaited<ReturnType<CanvasBackend['decide']>>, words: CanvasWords): DetailNotice | undefined {
  if (result.refusal !== null) return mayDecide(result.approval) ? { text: result.refusal, error: true } : undefined;
  return result.approval.cannotDecideCode === 'already_approved' ? undefined : { text: recordedMessage(result.approval, words) };
}
