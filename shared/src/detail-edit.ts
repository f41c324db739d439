// The reviewer's typed text for one top-level detail, read as a value of the original's kind: the
// one rule the Zendesk sidebar and the Intercom canvas share. A number stays a number and an object
// an object; text that is not of that kind is a problem to show on the form, never a decision with a
// wrong type. The apps then send `mergePatchBetween(details, edited)`: only what changed.
import { hasJsonKey, isJsonObject, isRepresentableNumber, jsonDepth, MAX_JSON_DEPTH, ownValue, unrepresentableNumberPaths } from './json';

export type DetailEditProblem =
  | 'not_a_number'
  | 'unrepresentable_number'
  | 'not_true_or_false'
  | 'invalid_json'
  | 'not_an_array'
  | 'not_an_object'
  | 'forbidden_key'
  | 'too_deep'
  | 'null_removes';

export type DetailEdit = { ok: true; value: unknown } | { ok: false; problem: DetailEditProblem };

/** An edited value sits one level inside modifiedDetails, which may nest MAX_JSON_DEPTH levels at most. */
export const MAX_EDITED_VALUE_DEPTH = MAX_JSON_DEPTH - 1;

// Plain decimal notation only: "1e3" or "0x10" in a refund amount is far more likely a typo than intent.
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * `typed` read as the kind of `original`: text stays text as typed; numbers are plain decimals that
 * JSON carries exactly; booleans are true/false (any case); arrays and objects are JSON of that kind;
 * a null original becomes null when left empty, else the JSON typed, else the text.
 */
export function editedDetailValue(original: unknown, typed: string): DetailEdit {
  if (typeof original === 'string') return { ok: true, value: typed };
  const text = typed.trim();
  if (typeof original === 'number') return numberValue(text);
  if (typeof original === 'boolean') return booleanValue(text);
  if (original === null || original === undefined) return text === '' ? { ok: true, value: null } : (jsonValue(original, text, () => true) ?? { ok: true, value: typed });
  if (Array.isArray(original)) return jsonValue(original, text, Array.isArray) ?? { ok: false, problem: 'invalid_json' };
  return jsonValue(original, text, isJsonObject) ?? { ok: false, problem: 'invalid_json' };
}

function numberValue(text: string): DetailEdit {
  if (!DECIMAL.test(text)) return { ok: false, problem: 'not_a_number' };
  const value = Number(text);
  return isRepresentableNumber(value) ? { ok: true, value } : { ok: false, problem: 'unrepresentable_number' };
}

function booleanValue(text: string): DetailEdit {
  const word = text.toLowerCase();
  return word === 'true' || word === 'false' ? { ok: true, value: word === 'true' } : { ok: false, problem: 'not_true_or_false' };
}

/** The JSON typed, checked; null when the text is not JSON at all. */
function jsonValue(original: unknown, text: string, isKind: (value: unknown) => boolean): DetailEdit | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const problem = jsonProblem(original, value, isKind);
  return problem ? { ok: false, problem } : { ok: true, value };
}

function jsonProblem(original: unknown, value: unknown, isKind: (value: unknown) => boolean): DetailEditProblem | null {
  if (!isKind(value)) return Array.isArray(original) ? 'not_an_array' : 'not_an_object';
  // The server refuses "__proto__" keys in bodies; refuse them here rather than send a doomed decision.
  if (hasJsonKey(value, '__proto__')) return 'forbidden_key';
  if (jsonDepth(value, MAX_EDITED_VALUE_DEPTH) > MAX_EDITED_VALUE_DEPTH) return 'too_deep';
  if (unrepresentableNumberPaths(value, 1).length > 0) return 'unrepresentable_number';
  if (dropsNull(original, value)) return 'null_removes';
  return null;
}

/**
 * Whether a merge patch could not carry this value: in a patch, null inside an object means
 * "remove", so a null the original did not already hold at that place would vanish. Arrays are
 * replaced whole, nulls in them are fine. Depth was checked before, so the recursion is bounded.
 */
function dropsNull(original: unknown, value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  const before = isJsonObject(original) ? original : {};
  return Object.keys(value).some((key) => {
    const was = ownValue(before, key);
    return value[key] === null ? !(Object.hasOwn(before, key) && was === null) : dropsNull(was, value[key]);
  });
}
