// Editing before approving: one input per top-level detail key (`detail:<key>`), prefilled with the
// value (non-strings as JSON), an optional note, Approve with changes / Cancel. Values too long (or
// multi-line, which a one-line input would flatten) are listed read-only and sent unchanged.
import { hasBidiControls, type ApprovalView } from '@countersign/shared';
import type { CanvasObject } from '../schema/canvas';
import type { Component, InputComponent, TextAreaComponent } from '../schema/components';
import { NOTE_MAX_CHARS } from '../decisions/decision-note';
import { EDITED_VALUE_MAX_CHARS, type DetailProblem } from '../decisions/detail-edits';
import type { ApprovalCanvasOptions } from './approval-canvas-options';
import { ACTION_CHARS } from './approval-facts';
import { NOTE_INPUT_ID, approvalComponentId, detailInputId } from './component-ids';
import { dataTable, header, submitButton, text } from './components';
import { detailTable, detailText } from './detail-table';
import { firstFitting } from './fit';
import { fullRequestOffer, tooLargeCanvas } from './full-request';
import { canvasState } from './stored-data';
import { escapeMarkdown, markdownText, plainText } from './untrusted-text';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';

export interface EditCanvasInput {
  /** What the teammate typed, by detail key, shown again when the form comes back with problems. */
  typed?: Readonly<Record<string, string>>;
  problems?: readonly DetailProblem[];
  note?: string | undefined;
  noteProblem?: string | undefined;
}

interface EditBudget {
  inputs: number;
  valueChars: number;
}

const EDIT_BUDGETS: readonly EditBudget[] = [
  { inputs: 40, valueChars: 1000 },
  { inputs: 15, valueChars: 300 },
  { inputs: 0, valueChars: 0 },
];
const KEY_CHARS = 100;
const READ_ONLY_BUDGET = { rows: 15, keyChars: 40, valueChars: 100 };
const SHOWN_PROBLEMS = 10;

export function editCanvas(approval: ApprovalView, options: ApprovalCanvasOptions, input: EditCanvasInput = {}): CanvasObject {
  return firstFitting(
    EDIT_BUDGETS,
    (budget) => editForm(approval, options, input, budget),
    () => tooLargeCanvas(approval.approvalId, options, 'edit'),
  );
}

function editForm(approval: ApprovalView, options: ApprovalCanvasOptions, input: EditCanvasInput, budget: EditBudget): CanvasObject {
  const words = options.words ?? ENGLISH_WORDS;
  const { editable, readOnly } = splitEditable(approval.details, budget);
  const failed = new Set((input.problems ?? []).map((problem) => problem.key));
  const components: Component[] = [
    header(words.t('edit.title', { action: markdownText(approval.action, ACTION_CHARS) })),
    text(words.t('edit.hint'), 'muted'),
    ...(input.problems ?? []).slice(0, SHOWN_PROBLEMS).map((problem) => text(escapeMarkdown(problem.message), 'error')),
    ...editable.map((key) => detailInput(key, typedValue(input, key) ?? detailText(approval.details[key]), failed.has(key))),
    ...readOnlyPart(approval, options, readOnly, editable.length, words),
    noteArea(input, words),
    ...(input.noteProblem ? [text(escapeMarkdown(input.noteProblem), 'error')] : []),
    submitButton(approvalComponentId('edit-approve', approval.approvalId), words.t('edit.approveWithChanges'), 'primary'),
    submitButton(approvalComponentId('open', approval.approvalId), words.t('actions.cancel'), 'secondary'),
  ];
  return { content: { components }, stored_data: canvasState('edit', { approvalId: approval.approvalId, conversationId: options.conversationId }) };
}

/** What was typed for a key; own keys only, so a detail named "constructor" is not read off Object.prototype. */
function typedValue(input: EditCanvasInput, key: string): string | undefined {
  return input.typed && Object.hasOwn(input.typed, key) ? input.typed[key] : undefined;
}

/** Which keys get an input at this budget; the rest are shown read-only. */
function splitEditable(details: Readonly<Record<string, unknown>>, budget: EditBudget): { editable: string[]; readOnly: string[] } {
  const editable: string[] = [];
  const readOnly: string[] = [];
  for (const key of Object.keys(details)) {
    if (editable.length < budget.inputs && canEditInCanvas(key, detailText(details[key]), budget)) editable.push(key);
    else readOnly.push(key);
  }
  return { editable, readOnly };
}

// A one-line input would flatten line breaks, and bidi controls are never shown: such values would
// come back altered without the teammate touching them, so they are not editable here.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function canEditInCanvas(key: string, value: string, budget: EditBudget): boolean {
  return key.length <= KEY_CHARS && value.length <= Math.min(budget.valueChars, EDITED_VALUE_MAX_CHARS) && !CONTROL_CHARACTERS.test(value) && !hasBidiControls(value);
}

function detailInput(key: string, value: string, failed: boolean): InputComponent {
  // The value goes in verbatim (it is short, see canEditInCanvas): shortening it would change the detail.
  const input: InputComponent = { type: 'input', id: detailInputId(key), label: plainText(key, KEY_CHARS), value };
  if (failed) input.save_state = 'failed';
  return input;
}

function readOnlyPart(approval: ApprovalView, options: ApprovalCanvasOptions, readOnly: readonly string[], editableCount: number, words: CanvasWords): Component[] {
  if (readOnly.length === 0) return editableCount === 0 ? [text(words.t('edit.noDetails'), 'muted')] : [];
  const table = detailTable(Object.fromEntries(readOnly.map((key) => [key, approval.details[key]])), READ_ONLY_BUDGET, words);
  const intro = words.t(editableCount === 0 ? 'edit.tooLarge' : 'edit.tooLong');
  return [text(intro, 'muted'), dataTable(table.rows), ...fullRequestOffer(approval.approvalId, options.link, words)];
}

function noteArea(input: EditCanvasInput, words: CanvasWords): TextAreaComponent {
  const note: TextAreaComponent = { type: 'textarea', id: NOTE_INPUT_ID, label: words.t('edit.noteLabel') };
  if (input.note) note.value = input.note.slice(0, NOTE_MAX_CHARS);
  if (input.noteProblem) note.error = true;
  return note;
}
