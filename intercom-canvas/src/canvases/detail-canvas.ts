// One pending request: the facts, its details as a data-table (shortened to fit, with a link to the
// whole request), and Approve / Edit / Reject / Back.
import type { ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component } from '../schema/components';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { approvalFacts, factsShortened } from './approval-facts';
import { BACK_ID, approvalComponentId } from './component-ids';
import { dataTable, divider, submitButton, text } from './components';
import { DETAIL_BUDGETS, detailTable, type DetailBudget } from './detail-table';
import { firstFitting } from './fit';
import { fullRequestOffer, tooLargeCanvas } from './full-request';
import { canvasState } from './stored-data';

export function approvalDetailCanvas(approval: ApprovalView, options: ApprovalCanvasOptions): CanvasObject {
  return firstFitting(
    DETAIL_BUDGETS,
    (budget) => detailCanvas(approval, options, budget),
    () => tooLargeCanvas(approval.approvalId, options, 'detail'),
  );
}

function detailCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, budget: DetailBudget): CanvasObject {
  const table = detailTable(approval.details, budget);
  const components: Component[] = [
    ...approvalFacts(approval),
    divider(),
    text('**Details**'),
    table.rows.length > 0 ? dataTable(table.rows) : text('No details.', 'muted'),
    ...(table.shortened || factsShortened(approval) ? fullRequestOffer(approval.approvalId, options.link) : []),
    ...decisionButtons(approval.approvalId),
  ];
  return { content: { components }, stored_data: canvasState('detail', { approvalId: approval.approvalId, conversationId: options.conversationId }) };
}

function decisionButtons(approvalId: string): Component[] {
  return [
    submitButton(approvalComponentId('approve', approvalId), 'Approve', 'primary'),
    submitButton(approvalComponentId('edit', approvalId), 'Edit', 'secondary'),
    submitButton(approvalComponentId('reject', approvalId), 'Reject', 'secondary'),
    submitButton(BACK_ID, 'Back', 'link'),
  ];
}
