// A request that is no longer pending: its outcome, who decided (a teammate, or the policy rule that
// decided at intake) and when, whose approvals settled it, the note, the changed details; Back. The conflict canvas is the same with a banner: the teammate's decision lost. The
// reviewer and the note are text components, which wrap: data-table cells are one line, and a note
// cut to "Refund needs the billing tea…" is no note at all.
import { approvalChanges, type ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import { NAME_CHARS, approvalHeading, factsShortened, formatTimestamp, statusWord } from './approval-facts';
import { NOTE_MAX_CHARS } from '../decisions/decision-note';
import { BACK_ID } from './component-ids';
import { dataTable, submitButton, text } from './components';
import { DETAIL_BUDGETS, detailRowsTable, type DetailBudget } from './detail-table';
import { firstFitting } from './fit';
import { fullRequestOffer, tooLargeCanvas } from './full-request';
import { approvalsLine, policyDecisionLine } from './requirement';
import { canvasState, type CanvasView } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

/** Every note a reviewer can write is shown whole; a longer one (not from a decision) links the full request. */
const NOTE_CHARS = NOTE_MAX_CHARS;
/** One text component per line of the note, up to this many; the rest share the last one. */
const NOTE_LINES = 20;
/** The reviewer whole: the longest name and email a decision accepts. */
const REVIEWER_NAME_CHARS = 200;
const REVIEWER_EMAIL_CHARS = 320;

export function decidedCanvas(approval: ApprovalView, options: ApprovalCanvasOptions): CanvasObject {
  return outcomeCanvas(approval, options, 'decided', []);
}

/** Shown when the teammate's decision lost the race (409): the winner's outcome, said plainly. */
export function conflictCanvas(approval: ApprovalView, options: ApprovalCanvasOptions): CanvasObject {
  return outcomeCanvas(approval, options, 'conflict', [text(escapeMarkdown(conflictMessage(approval, options.words)), 'error')]);
}

/** Shown when Countersign refused the teammate's decision (not eligible, their own request, approved already). */
export function refusedCanvas(approval: ApprovalView, reason: string, options: ApprovalCanvasOptions): CanvasObject {
  return outcomeCanvas(approval, options, 'conflict', [text(escapeMarkdown(plainText(reason, NOTE_MAX_CHARS)), 'error')]);
}

export function conflictMessage(approval: ApprovalView, words: CanvasWords = ENGLISH_WORDS): string {
  const outcome = statusWord(approval.status, words).toLowerCase();
  if (approval.decidedBy) return words.t('conflict.decidedFirst', { name: plainText(approval.decidedBy.name, NAME_CHARS), outcome });
  if (approval.status === 'pending') return words.t('conflict.stillPending');
  return words.t('conflict.closed', { outcome });
}

function outcomeCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, view: CanvasView, banner: Component[]): CanvasObject {
  return firstFitting(
    DETAIL_BUDGETS,
    (budget) => {
      const words = options.words ?? ENGLISH_WORDS;
      const components: Component[] = [...banner, ...approvalHeading(approval), text(`**${statusWord(approval.status, words)}**`), ...outcome(approval, words)];
      const changes = changedDetails(approval, budget, words);
      if (changes) components.push(text(`**${words.t('decided.changedDetails')}**`), dataTable(changes.rows));
      const shortened = changes?.shortened || factsShortened(approval) || (approval.decisionNote?.length ?? 0) > NOTE_CHARS;
      if (shortened) components.push(...fullRequestOffer(approval.approvalId, options.link, words));
      components.push(submitButton(BACK_ID, words.t('actions.back'), 'link'));
      return { content: { components }, stored_data: canvasState(view, { approvalId: approval.approvalId, conversationId: options.conversationId }) };
    },
    () => tooLargeCanvas(approval.approvalId, options, view),
  );
}

function outcome(approval: ApprovalView, words: CanvasWords): Component[] {
  const components: Component[] = [];
  const byPolicy = policyDecisionLine(approval, words);
  const approvals = approvalsLine(approval, words);
  if (byPolicy) components.push(text(escapeMarkdown(byPolicy)));
  else if (approval.decidedBy) components.push(text(escapeMarkdown(words.t('decided.by', { reviewer: reviewerLine(approval.decidedBy) }))));
  if (approvals) components.push(text(escapeMarkdown(approvals)));
  if (approval.decidedAt) components.push(dataTable([[words.t(approval.decidedBy ? 'decided.at' : 'decided.closedAt'), formatTimestamp(approval.decidedAt)]]));
  if (approval.decisionNote) components.push(text(`**${words.t('decided.note')}**`), ...noteLines(approval.decisionNote));
  return components;
}

function reviewerLine(reviewer: NonNullable<ApprovalView['decidedBy']>): string {
  const name = plainText(reviewer.name, REVIEWER_NAME_CHARS);
  return reviewer.email ? `${name} (${plainText(reviewer.email, REVIEWER_EMAIL_CHARS)})` : name;
}

/** The note's lines as text components (Canvas Kit gives line breaks in a text no meaning). */
function noteLines(note: string): Component[] {
  const lines = plainText(note, NOTE_CHARS).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const kept = lines.length > NOTE_LINES ? [...lines.slice(0, NOTE_LINES - 1), lines.slice(NOTE_LINES - 1).join(' ')] : lines;
  return kept.map((line) => text(escapeMarkdown(line)));
}

/** The changed detail paths with their new values (the shared list of changes, as callbacks and notes carry it). */
function changedDetails(approval: ApprovalView, budget: DetailBudget, words: CanvasWords) {
  const changes = approvalChanges(approval.details, approval.modifiedDetails);
  if (changes.length === 0) return null;
  return detailRowsTable(changes.map((change) => [change.path, 'to' in change ? change.to : words.t('decided.removed')] as const), budget, words);
}
