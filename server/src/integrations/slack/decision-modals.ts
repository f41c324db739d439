// The two modals a click opens: Reject (an optional note) and Edit (one input per detail that keeps the
// detail's kind: text stays text, a number input for numbers, true/false buttons for booleans, JSON for
// the rest), and reading what was submitted. The Edit modal's values are read by the same rule as the
// Intercom canvas and the Zendesk sidebar (applyDetailEdits, over the shared detail-edit rule), so a
// number stays a number and only what changed is sent, as a merge patch.
import { createHash } from 'node:crypto';
import { applyDetailEdits, detailInputId, EDITED_VALUE_MAX_CHARS } from '@countersign/intercom-canvas';
import { hasBidiControls, isRepresentableNumber, type JsonObject } from '@countersign/shared';
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/web-api';
import type { ApprovalRecord } from '../../approvals/records';
import { detailText, escaped, plain } from './block-text';

export const REJECT_VIEW = 'countersign_reject';
export const EDIT_VIEW = 'countersign_edit';
const NOTE_BLOCK = 'note';
const VALUE_ACTION = 'value';
const NOTE_MAX_CHARS = 2000;
const MAX_INPUTS = 40;
const KEY_CHARS = 100;
const DECIMAL = /^-?\d+(\.\d+)?$/;
// Line breaks are fine in a multi-line input; other controls and bidi controls would not come back as they are.
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** What a modal carries to its submission (Slack's private_metadata, at most 3000 characters). */
export interface ModalContext {
  approvalId: string;
  /** Where the click happened, for an ephemeral answer afterwards. */
  channel: string | null;
  /** The details as the Edit modal showed them, so a submission after they changed is refused. */
  fingerprint?: string;
}

export type SubmittedDecision =
  | { ok: true; decision: 'approve' | 'reject'; note?: string; modifiedDetails?: JsonObject }
  | { ok: false; errors: Record<string, string> };

interface SubmittedValue {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
}
export type ViewState = Record<string, Record<string, SubmittedValue | undefined> | undefined>;

export function rejectModal(approval: ApprovalRecord, channel: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    private_metadata: JSON.stringify({ approvalId: approval.id, channel } satisfies ModalContext),
    title: plain('Reject request', 24),
    submit: plain('Reject', 24),
    close: plain('Cancel', 24),
    blocks: [summary(approval), noteInput('Why (the automation receives it)')],
  };
}

export function editModal(approval: ApprovalRecord, channel: string | null): ModalView {
  const details = effectiveDetails(approval);
  const keys = Object.keys(details);
  const editable = keys.filter((key) => editableValue(key, details[key])).slice(0, MAX_INPUTS);
  const readOnly = keys.filter((key) => !editable.includes(key));
  const blocks: KnownBlock[] = [
    summary(approval),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Change values, then approve. The automation receives the changed details.' }] },
    ...editable.map((key) => detailInput(key, details[key], keys.indexOf(key))),
  ];
  if (editable.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'This request has no details that can be edited here.' } });
  if (readOnly.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Sent unchanged (too long or too many to edit here): ${readOnly.slice(0, 20).map((key) => `\`${escaped(key, 60).replace(/`/g, "'")}\``).join(', ')}${readOnly.length > 20 ? '…' : ''}` }] });
  blocks.push(noteInput('Note'));
  return {
    type: 'modal',
    callback_id: EDIT_VIEW,
    private_metadata: JSON.stringify({ approvalId: approval.id, channel, fingerprint: fingerprint(details) } satisfies ModalContext),
    title: plain('Edit and approve', 24),
    submit: plain('Approve with changes', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

export function readModalContext(raw: unknown): ModalContext | null {
  if (typeof raw !== 'string' || raw.length > 3000) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<ModalContext>;
    if (typeof parsed.approvalId !== 'string' || parsed.approvalId.length > 100) return null;
    return { approvalId: parsed.approvalId, channel: typeof parsed.channel === 'string' ? parsed.channel : null, ...(typeof parsed.fingerprint === 'string' ? { fingerprint: parsed.fingerprint } : {}) };
  } catch {
    return null;
  }
}

export function readRejection(state: ViewState): SubmittedDecision {
  const note = noteOf(state);
  if (note.length > NOTE_MAX_CHARS) return { ok: false, errors: { [NOTE_BLOCK]: `A note is at most ${NOTE_MAX_CHARS} characters.` } };
  return { ok: true, decision: 'reject', ...(note ? { note } : {}) };
}

/** The approval with the edits submitted, as the decision to send; problems go back to the inputs they concern. */
export function readEdits(approval: ApprovalRecord, context: ModalContext, state: ViewState): SubmittedDecision {
  const details = effectiveDetails(approval);
  if (context.fingerprint !== fingerprint(details)) return { ok: false, errors: { [NOTE_BLOCK]: 'The request changed while you were editing it: close this and open Edit again.' } };
  const keys = Object.keys(details);
  const typed: Record<string, string> = {};
  for (const [index, key] of keys.entries()) {
    const submitted = state[detailBlockId(index)]?.[VALUE_ACTION];
    const text = submitted ? submittedText(submitted) : undefined;
    if (text !== undefined) typed[detailInputId(key)] = text;
  }
  const edits = applyDetailEdits(details, typed);
  if (!edits.ok) return { ok: false, errors: Object.fromEntries(edits.problems.map((problem) => [detailBlockId(keys.indexOf(problem.key)), problem.message])) };
  const note = noteOf(state);
  if (note.length > NOTE_MAX_CHARS) return { ok: false, errors: { [NOTE_BLOCK]: `A note is at most ${NOTE_MAX_CHARS} characters.` } };
  return { ok: true, decision: 'approve', ...(note ? { note } : {}), ...(edits.patch ? { modifiedDetails: edits.patch } : {}) };
}

function effectiveDetails(approval: ApprovalRecord): JsonObject {
  return approval.modifiedDetails ?? approval.details;
}

function fingerprint(details: JsonObject): string {
  return createHash('sha256').update(JSON.stringify(details)).digest('hex').slice(0, 24);
}

function detailBlockId(index: number): string {
  return `detail_${index}`;
}

function summary(approval: ApprovalRecord): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: `*${escaped(approval.action, 200)}*\n${escaped(approval.summary, 2000)}` } };
}

function noteInput(label: string): KnownBlock {
  return { type: 'input', block_id: NOTE_BLOCK, optional: true, label: plain(label, 2000), element: { type: 'plain_text_input', action_id: VALUE_ACTION, multiline: true, max_length: NOTE_MAX_CHARS } };
}

/** Whether a value can be shown in an input and come back exactly as it was when left alone. */
function editableValue(key: string, value: unknown): boolean {
  if (key.length > KEY_CHARS) return false;
  if (typeof value === 'number') return isRepresentableNumber(value) && DECIMAL.test(String(value));
  if (typeof value === 'boolean') return true;
  const text = detailText(value);
  return text.length <= EDITED_VALUE_MAX_CHARS && !CONTROL_CHARACTERS.test(text) && !hasBidiControls(text);
}

function detailInput(key: string, value: unknown, index: number): KnownBlock {
  const label = plain(key, 2000);
  const block_id = detailBlockId(index);
  if (typeof value === 'number') {
    return { type: 'input', block_id, label, element: { type: 'number_input', action_id: VALUE_ACTION, is_decimal_allowed: true, initial_value: String(value) } };
  }
  if (typeof value === 'boolean') {
    const options: PlainTextOption[] = [{ text: plain('true', 75), value: 'true' }, { text: plain('false', 75), value: 'false' }];
    return { type: 'input', block_id, label, element: { type: 'radio_buttons', action_id: VALUE_ACTION, options, initial_option: options[value ? 0 : 1] } };
  }
  const text = detailText(value);
  const json = typeof value !== 'string';
  return {
    type: 'input',
    block_id,
    label,
    // Left empty only where it was empty (or null): emptying a value by accident would change it.
    optional: text === '' || value === null,
    ...(json ? { hint: plain(value === null ? 'Empty stays null; or JSON.' : 'JSON', 2000) } : {}),
    element: { type: 'plain_text_input', action_id: VALUE_ACTION, multiline: json || text.includes('\n') || text.length > 150, ...(text ? { initial_value: text } : {}), max_length: EDITED_VALUE_MAX_CHARS },
  };
}

/** What the input holds, as text for the detail-edit rule. */
function submittedText(submitted: SubmittedValue): string | undefined {
  if (submitted.type === 'radio_buttons') return submitted.selected_option?.value ?? undefined;
  if (typeof submitted.value === 'string') return submitted.value;
  // An input left empty comes back as null: for the rule, that is the empty text.
  return submitted.value === null ? '' : undefined;
}

function noteOf(state: ViewState): string {
  const value = state[NOTE_BLOCK]?.[VALUE_ACTION]?.value;
  return typeof value === 'string' ? value.trim() : '';
}
