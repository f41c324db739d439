// @countersign/intercom-canvas: the Intercom Inbox app (Canvas Kit) of Countersign.
export { canvasRouter, INITIALIZE_PATH, SUBMIT_PATH, type CanvasRouterOptions } from './canvas-router';
export type { CanvasBackend, CanvasDecisionResult, CanvasReviewer } from './canvas-backend';
export { BODY_SIGNATURE_HEADER, signCanvasBody, verifyCanvasSignature } from './signature';
export { initializeCanvas, submitCanvas, type InboxRequest } from './inbox-flows';

// Builders: approvals → canvas JSON.
export type { ApprovalCanvasOptions } from './canvases/approval-canvas-options';
export { approvalListCanvas, emptyCanvas } from './canvases/list-canvas';
export { approvalDetailCanvas, type DetailNotice } from './canvases/detail-canvas';
export { rejectCanvas, type RejectCanvasInput } from './canvases/reject-canvas';
export { editCanvas, type EditCanvasInput } from './canvases/edit-canvas';
export { conflictCanvas, conflictMessage, decidedCanvas, refusedCanvas } from './canvases/decided-canvas';
export { cannotDecideComponents, mayDecide, policyDecisionLine, recordedMessage, requirementComponents, requirementSentence, whoMayDecide } from './canvases/requirement';
export { canvasWords, ENGLISH_WORDS, type CanvasWords } from './i18n/canvas-words';
export { ENGLISH, GERMAN, type MessageKey } from './i18n/canvas-messages';
export { errorCanvas, noConversationCanvas, notConnectedCanvas, notFoundCanvas } from './canvases/notice-canvases';
export {
  APPROVAL_VERBS,
  BACK_ID,
  NOTE_INPUT_ID,
  REFRESH_ID,
  approvalComponentId,
  detailInputId,
  parseComponentId,
  type ApprovalVerb,
  type CanvasCommand,
} from './canvases/component-ids';
export { CANVAS_VIEWS, canvasState, readCanvasState, type CanvasState, type CanvasView } from './canvases/stored-data';
export { CANVAS_BUDGET_BYTES } from './canvases/fit';
export { DETAIL_BUDGETS, detailTable, detailText, type DetailBudget } from './canvases/detail-table';
export { escapeMarkdown, markdownText, plainText } from './canvases/untrusted-text';
export { applyDetailEdits, EDITED_VALUE_MAX_CHARS, type DetailEdits, type DetailProblem } from './decisions/detail-edits';
export { NOTE_MAX_CHARS, readNote } from './decisions/decision-note';
export { reviewerFrom, UNNAMED_TEAMMATE } from './decisions/reviewer';

// Schemas: the Canvas Kit catalogue, response objects and incoming requests.
export * from './schema/actions';
export * from './schema/components';
export * from './schema/canvas';
export * from './schema/requests';
