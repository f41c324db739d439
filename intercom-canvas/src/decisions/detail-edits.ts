// "Approve with changes": the teammate's edits read with the shared detail-edit rule (each value
// keeps the kind of its original) and sent as a merge patch holding only what changed. Text that is
// not of the original's kind is a problem to show on the form, never a decision with a wrong type.
import {
  defineOwn,
  editedDetailValue,
  MAX_EDITED_VALUE_DEPTH,
  mergePatchBetween,
  sameJson,
  type DetailEditProblem,
  type JsonObject,
} from '@countersign/shared';
import { detailInputId } from '../canvases/component-ids';
import { detailText } from '../canvases/detail-table';
import { plainText } from '../canvases/untrusted-text';
import type { MessageKey } from '../i18n/canvas-messages';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';

/** Longer typed values are refused: nothing editable in the canvas is this long. */
export const EDITED_VALUE_MAX_CHARS = 2000;

export interface DetailProblem {
  key: string;
  message: string;
}

/** `typed` is what the teammate submitted, by detail key, for showing the form again. */
export type DetailEdits =
  | { ok: true; patch: JsonObject | undefined; typed: Record<string, string> }
  | { ok: false; problems: DetailProblem[]; typed: Record<string, string> };

/** How each problem reads, with the field's name. */
const PROBLEM_MESSAGES: Record<DetailEditProblem, MessageKey> = {
  not_a_number: 'edit.problem.not_a_number',
  unrepresentable_number: 'edit.problem.unrepresentable_number',
  not_true_or_false: 'edit.problem.not_true_or_false',
  invalid_json: 'edit.problem.invalid_json',
  not_an_array: 'edit.problem.not_an_array',
  not_an_object: 'edit.problem.not_an_object',
  forbidden_key: 'edit.problem.forbidden_key',
  too_deep: 'edit.problem.too_deep',
  null_removes: 'edit.problem.null_removes',
};

/**
 * The merge patch of the submitted `detail:<key>` inputs (undefined when nothing changed). Only keys
 * of `details` are read, so a submit cannot add keys.
 */
export function applyDetailEdits(details: Readonly<Record<string, unknown>>, inputValues: Readonly<Record<string, unknown>>, words: CanvasWords = ENGLISH_WORDS): DetailEdits {
  const typed: Record<string, string> = Object.create(null);
  const edited: JsonObject = {};
  for (const key of Object.keys(details)) defineOwn(edited, key, details[key]);
  let changed = false;
  const problems: DetailProblem[] = [];
  for (const key of Object.keys(details)) {
    const raw = Object.hasOwn(inputValues, detailInputId(key)) ? inputValues[detailInputId(key)] : undefined;
    if (typeof raw !== 'string') continue;
    typed[key] = raw;
    const original = details[key];
    // Inputs may come back trimmed; whitespace at the ends alone is not an edit.
    if (raw.trim() === detailText(original).trim()) continue;
    const result = raw.length > EDITED_VALUE_MAX_CHARS ? null : editedDetailValue(original, raw);
    const name = `“${plainText(key, 60)}”`;
    if (!result) problems.push({ key, message: words.t('edit.problem.tooLong', { name, max: EDITED_VALUE_MAX_CHARS }) });
    else if (!result.ok) problems.push({ key, message: words.t(PROBLEM_MESSAGES[result.problem], { name, depth: MAX_EDITED_VALUE_DEPTH }) });
    // "49.990" for 49.99, or "" for null, reads as the same value: not an edit either.
    else if (!sameJson(result.value, original)) {
      defineOwn(edited, key, result.value);
      changed = true;
    }
  }
  if (problems.length > 0) return { ok: false, problems, typed };
  return { ok: true, patch: changed ? mergePatchBetween(details, edited) : undefined, typed };
}
