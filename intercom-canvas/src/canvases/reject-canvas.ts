// Rejecting: the request's heading, a note for the automation, Confirm rejection / Cancel.
import type { ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component, TextAreaComponent } from '../schema/components';
import { NOTE_MAX_CHARS } from '../decisions/decision-note';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { approvalHeading } from './approval-facts';
import { NOTE_INPUT_ID, approvalComponentId } from './component-ids';
import { submitButton, text } from './components';
import { firstFitting } from './fit';
import { tooLargeCanvas } from './full-request';
import { canvasState } from './stored-data';
import { escapeMarkdown } from './untrusted-text';
import { ENGLISH_WORDS } from '../i18n/canvas-words';

export interface RejectCanvasInput {
  /** What the teammate typed, shown again when the form comes back with a problem. */
  note?: string | undefined;
  problem?: string | undefined;
}

export function rejectCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, input: RejectCanvasInput = {}): CanvasObject {
  const build = (withNote: boolean) => rejectForm(approval, options, { ...input, note: withNote ? input.note : undefined });
  return firstFitting([true, false], build, () => tooLargeCanvas(approval.approvalId, options, 'reject'));
}

function rejectForm(approval: ApprovalView, options: ApprovalCanvasOptions, input: RejectCanvasInput): CanvasObject {
  const words = options.words ?? ENGLISH_WORDS;
  const note: TextAreaComponent = {
    type: 'textarea',
    id: NOTE_INPUT_ID,
    label: words.t('reject.noteLabel'),
    placeholder: words.t('reject.placeholder'),
  };
  if (input.note) note.value = input.note.slice(0, NOTE_MAX_CHARS);
  if (input.problem) note.error = true;
  const components: Component[] = [
    ...approvalHeading(approval),
    note,
    ...(input.problem ? [text(escapeMarkdown(input.problem), 'error')] : []),
    submitButton(approvalComponentId('reject-confirm', approval.approvalId), words.t('reject.confirm'), 'primary'),
    submitButton(approvalComponentId('open', approval.approvalId), words.t('actions.cancel'), 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('reject', { approvalId: approval.approvalId, conversationId: options.conversationId }) };
}
