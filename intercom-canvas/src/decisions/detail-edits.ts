// "Approve with changes": the teammate's edits applied to the approval's details. Each edited value
// keeps the kind of the original (a number stays a number, an object stays an object); text that is
// not of that kind is a problem to show on the form, never a decision with a wrong type.
import { MAX_JSON_DEPTH, isJsonObject, jsonDepth } from '@countersign/shared';
import { detailInputId } from '../canvases/component-ids';
import { detailText } from '../canvases/detail-table';
import { plainText } from '../canvases/untrusted-text';

/** Longer typed values are refused: nothing editable in the canvas is this long. */
export const EDITED_VALUE_MAX_CHARS = 2000;

export interface DetailProblem {
  key: string;
  message: string;
}

/** `typed` is what the teammate submitted, by detail key, for showing the form again. */
export type DetailEdits =
  | { ok: true; modifiedDetails: Record<string, unknown> | undefined; typed: Record<string, string> }
  | { ok: false; problems: DetailProblem[]; typed: Record<string, string> };

type Conversion = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The full details with the submitted `detail:<key>` inputs applied; `modifiedDetails` is undefined
 * when nothing changed. Only keys of `details` are read, so a submit cannot add keys.
 */
export function applyDetailEdits(details: Readonly<Record<string, unknown>>, inputValues: Readonly<Record<string, unknown>>): DetailEdits {
  const typed: Record<string, string> = Object.create(null);
  const changes = new Map<string, unknown>();
  const problems: DetailProblem[] = [];
  for (const key of Object.keys(details)) {
    const raw = Object.hasOwn(inputValues, detailInputId(key)) ? inputValues[detailInputId(key)] : undefined;
    if (typeof raw !== 'string') continue;
    typed[key] = raw;
    const original = details[key];
    // Inputs may come back trimmed; whitespace at the ends alone is not an edit.
    if (raw.trim() === detailText(original).trim()) continue;
    const converted = convertLike(original, raw);
    // "49.990" for 49.99, or "" for null, reads as the same value: not an edit either.
    if (converted.ok && JSON.stringify(converted.value) !== JSON.stringify(original)) changes.set(key, converted.value);
    else if (!converted.ok) problems.push({ key, message: `“${plainText(key, 60)}” ${converted.message}` });
  }
  if (problems.length > 0) return { ok: false, problems, typed };
  if (changes.size === 0) return { ok: true, modifiedDetails: undefined, typed };
  // fromEntries defines own properties, so even a "__proto__" detail key stays a plain key.
  const modifiedDetails = Object.fromEntries(Object.keys(details).map((key) => [key, changes.has(key) ? changes.get(key) : details[key]]));
  return { ok: true, modifiedDetails, typed };
}

/** The typed text as a value of the original's kind. */
function convertLike(original: unknown, typed: string): Conversion {
  if (typed.length > EDITED_VALUE_MAX_CHARS) return { ok: false, message: `is longer than ${EDITED_VALUE_MAX_CHARS} characters.` };
  if (typeof original === 'string') return { ok: true, value: typed };
  const text = typed.trim();
  if (original === null) return text === '' ? { ok: true, value: null } : parseJson(text, () => true) ?? { ok: true, value: typed };
  if (typeof original === 'number') {
    return parseJson(text, (v) => typeof v === 'number' && Number.isFinite(v)) ?? { ok: false, message: 'must be a number, like 42 or 12.5.' };
  }
  if (typeof original === 'boolean') {
    return parseJson(text.toLowerCase(), (v) => typeof v === 'boolean') ?? { ok: false, message: 'must be true or false.' };
  }
  if (Array.isArray(original)) {
    return parseJson(text, Array.isArray) ?? { ok: false, message: 'must be a JSON array, like ["a", "b"].' };
  }
  return parseJson(text, isJsonObject) ?? { ok: false, message: 'must be a JSON object, like {"key": "value"}.' };
}

/** The parsed JSON when it is of the wanted kind, a problem when it nests too deeply, else null. */
function parseJson(text: string, isWanted: (value: unknown) => boolean): Conversion | null {
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      // The server refuses "__proto__" keys in bodies; refuse them here rather than send a doomed decision.
      if (key === '__proto__') throw new Error('forbidden key');
      return v;
    });
  } catch {
    return null;
  }
  if (!isWanted(value)) return null;
  // The value sits one level inside modifiedDetails, which may nest MAX_JSON_DEPTH levels at most.
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH - 1) return { ok: false, message: `nests deeper than ${MAX_JSON_DEPTH - 1} levels.` };
  return { ok: true, value };
}
