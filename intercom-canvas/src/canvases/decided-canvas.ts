// A request that is no longer pending: its outcome, who decided and when, the note, the changed
// details; Back. The conflict canvas is the same with a banner: the teammate's decision lost.
import { approvalChanges, type ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { NAME_CHARS, approvalHeading, factsShortened, formatTimestamp, statusWord } from './approval-facts';
import { BACK_ID } from './component-ids';
import { dataTable, submitButton, text } from './components';
import { DETAIL_BUDGETS, detailRowsTable, type DetailBudget } from './detail-table';
import { firstFitting } from './fit';
import { fullRequestOffer, tooLargeCanvas } from './full-request';
import { canvasState, type CanvasView } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

const NOTE_CHARS = 1000;

export function decidedCanvas(approval: ApprovalView, options: ApprovalCanvasOptions): CanvasObject {
  return outcomeCanvas(approval, options, 'decided', []);
}

/** Shown when the teammate's decision lost the race (409): the winner's outcome, said plainly. */
export function conflictCanvas(approval: ApprovalView, options: ApprovalCanvasOptions): CanvasObject {
  return outcomeCanvas(approval, options, 'conflict', [text(escapeMarkdown(conflictMessage(approval)), 'error')]);
}

export function conflictMessage(approval: ApprovalView): string {
  const outcome = statusWord(approval.status).toLowerCase();
  if (approval.decidedBy) return `Someone else decided first: ${plainText(approval.decidedBy.name, NAME_CHARS)} ${outcome} this request.`;
  if (approval.status === 'pending') return 'Your decision was not recorded; the request is still pending.';
  return `This request can no longer be decided: it is ${outcome}.`;
}

function outcomeCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, view: CanvasView, banner: Component[]): CanvasObject {
  return firstFitting(
    DETAIL_BUDGETS,
    (budget) => {
      const components: Component[] = [...banner, ...approvalHeading(approval), text(`**${statusWord(approval.status)}**`), ...outcome(approval)];
      const changes = changedDetails(approval, budget);
      if (changes) components.push(text('**Changed details**'), dataTable(changes.rows));
      const shortened = changes?.shortened || factsShortened(approval) || (approval.decisionNote?.length ?? 0) > NOTE_CHARS;
      if (shortened) components.push(...fullRequestOffer(approval.approvalId, options.link));
      components.push(submitButton(BACK_ID, 'Back', 'link'));
      return { content: { components }, stored_data: canvasState(view, { approvalId: approval.approvalId, conversationId: options.conversationId }) };
    },
    () => tooLargeCanvas(approval.approvalId, options, view),
  );
}

function outcome(approval: ApprovalView): Component[] {
  const rows: Array<[string, string]> = [];
  if (approval.decidedBy) rows.push(['Decided by', reviewerLine(approval.decidedBy)]);
  if (approval.decidedAt) rows.push([approval.decidedBy ? 'Decided at' : 'Closed at', formatTimestamp(approval.decidedAt)]);
  if (approval.decisionNote) rows.push(['Note', plainText(approval.decisionNote, NOTE_CHARS)]);
  return rows.length > 0 ? [dataTable(rows)] : [];
}

function reviewerLine(reviewer: NonNullable<ApprovalView['decidedBy']>): string {
  const name = plainText(reviewer.name, NAME_CHARS);
  return reviewer.email ? `${name} (${plainText(reviewer.email, NAME_CHARS)})` : name;
}

/** The changed detail paths with their new values (the shared list of changes, as callbacks and notes carry it). */
function changedDetails(approval: ApprovalView, budget: DetailBudget) {
  const changes = approvalChanges(approval.details, approval.modifiedDetails);
  if (changes.length === 0) return null;
  return detailRowsTable(changes.map((change) => [change.path, 'to' in change ? change.to : '(removed)'] as const), budget);
}
