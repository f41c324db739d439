// The edit form's model: one draft per top-level detail, read back with the shared detail-edit rule
// (each value keeps its original's kind), and sent as a merge patch: only what changed.
import {
  defineOwn,
  editedDetailValue,
  mergePatchBetween,
  sameJson,
  type DetailEditProblem,
  type JsonObject,
} from '@countersign/shared';
import { formatDetailValue } from './detail-values';

export type DraftKind = 'text' | 'number' | 'boolean' | 'json' | 'empty';

export interface DetailDraft {
  key: string;
  kind: DraftKind;
  value: string | boolean;
}

export type DraftProblem = DetailEditProblem;

export interface EditOutcome {
  /** The merge patch for `modifiedDetails` (only what changed); null when nothing changed. */
  patch: JsonObject | null;
  changedKeys: string[];
  /** By detail key; a Map, so a detail named "constructor" is never read off Object.prototype. */
  problems: ReadonlyMap<string, DraftProblem>;
}

type DraftResult = { ok: true; value: unknown } | { ok: false; problem: DraftProblem };

export function draftsFor(details: Record<string, unknown>): DetailDraft[] {
  return Object.entries(details).map(([key, value]) => ({ key, kind: kindOf(value), value: typeof value === 'boolean' ? value : initialText(value) }));
}

export function applyEdits(details: Record<string, unknown>, drafts: readonly DetailDraft[]): EditOutcome {
  const edited: JsonObject = {};
  for (const key of Object.keys(details)) defineOwn(edited, key, details[key]);
  const changedKeys: string[] = [];
  const problems = new Map<string, DraftProblem>();
  for (const draft of drafts) {
    if (!Object.hasOwn(details, draft.key)) continue;
    const original = details[draft.key];
    const result = draftValue(draft, original);
    if (!result.ok) problems.set(draft.key, result.problem);
    else if (!sameJson(result.value, original)) {
      defineOwn(edited, draft.key, result.value);
      changedKeys.push(draft.key);
    }
  }
  return { patch: changedKeys.length > 0 ? mergePatchBetween(details, edited) : null, changedKeys, problems };
}

export function draftValue(draft: DetailDraft, original: unknown): DraftResult {
  if (typeof draft.value === 'boolean') return { ok: true, value: draft.value };
  // The draft starts as the value's shown text (bidi controls removed): left as shown, it is no edit.
  if (draft.value === initialText(original)) return { ok: true, value: original };
  return editedDetailValue(original, draft.value);
}

function kindOf(value: unknown): DraftKind {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value === null || value === undefined) return 'empty';
  return 'json';
}

function initialText(value: unknown): string {
  return value === null || value === undefined ? '' : formatDetailValue(value);
}
