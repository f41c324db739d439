// One pending request: why this teammate may not decide it (if so), the facts, what it needs before it
// settles, its details as a data-table (shortened to fit, with a link to the whole request), and
// Approve / Edit / Reject (disabled for a teammate who may not decide it) / Back.
import type { ApprovalView } from '@countersign/shared';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { approvalFacts, factsShortened } from './approval-facts';
import { BACK_ID, approvalComponentId } from './component-ids';
import { dataTable, divider, submitButton, text } from './components';
import { DETAIL_BUDGETS, detailTable, type DetailBudget } from './detail-table';
import { firstFitting } from './fit';
import { fullRequestOffer, tooLargeCanvas } from './full-request';
import { cannotDecideComponents, mayDecide, requirementComponents } from './requirement';
import { canvasState } from './stored-data';
import { escapeMarkdown, plainText } from './untrusted-text';

/** A line above the request: what just happened (an approval recorded, a decision refused). */
export interface DetailNotice {
  text: string;
  error?: boolean;
}

const NOTICE_CHARS = 1000;

export function approvalDetailCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, notice?: DetailNotice): CanvasObject {
  return firstFitting(
    DETAIL_BUDGETS,
    (budget) => detailCanvas(approval, options, budget, notice),
    () => tooLargeCanvas(approval.approvalId, options, 'detail'),
  );
}

function detailCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, budget: DetailBudget, notice: DetailNotice | undefined): CanvasObject {
  const words = options.words ?? ENGLISH_WORDS;
  const table = detailTable(approval.details, budget, words);
  const components: Component[] = [
    ...(notice ? [notice.error ? text(escapeMarkdown(plainText(notice.text, NOTICE_CHARS)), 'error') : text(`**${escapeMarkdown(plainText(notice.text, NOTICE_CHARS))}**`)] : []),
    ...cannotDecideComponents(approval, words),
    ...approvalFacts(approval, words),
    ...requirementComponents(approval, words),
    divider(),
    text(`**${words.t('detail.details')}**`),
    table.rows.length > 0 ? dataTable(table.rows) : text(words.t('detail.none'), 'muted'),
    ...(table.shortened || factsShortened(approval) ? fullRequestOffer(approval.approvalId, options.link, words) : []),
    ...decisionButtons(approval, words),
  ];
  return { content: { components }, stored_data: canvasState('detail', { approvalId: approval.approvalId, conversationId: options.conversationId }) };
}

function decisionButtons(approval: ApprovalView, words: CanvasWords): Component[] {
  // Disabled rather than hidden: the teammate sees what the request offers, and the reason above says why not.
  const disabled = !mayDecide(approval);
  return [
    submitButton(approvalComponentId('approve', approval.approvalId), words.t('actions.approve'), 'primary', disabled),
    submitButton(approvalComponentId('edit', approval.approvalId), words.t('actions.edit'), 'secondary', disabled),
    submitButton(approvalComponentId('reject', approval.approvalId), words.t('actions.reject'), 'secondary', disabled),
    submitButton(BACK_ID, words.t('actions.back'), 'link'),
  ];
}
