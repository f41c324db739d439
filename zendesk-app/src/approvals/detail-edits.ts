// The edit form's model: one draft per top-level detail, turned back into values of the original's
// type, and merged into the full details object Countersign expects as `modifiedDetails`.
import type { JsonObject } from '@countersign/shared';
import { formatDetailValue, sameValue } from './detail-values';

export type DraftKind = 'text' | 'number' | 'boolean' | 'json' | 'empty';

export interface DetailDraft {
  key: string;
  kind: DraftKind;
  value: string | boolean;
}

export type DraftProblem = 'invalid_json' | 'not_a_number';

export interface EditOutcome {
  /** The full details with the edits applied; null when nothing changed. */
  modifiedDetails: JsonObject | null;
  changedKeys: string[];
  problems: Record<string, DraftProblem>;
}

type DraftResult = { ok: true; value: unknown } | { ok: false; problem: DraftProblem };

// Plain decimal notation only: "1e3" or "0x10" in a refund amount is far more likely a typo than intent.
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

export function draftsFor(details: Record<string, unknown>): DetailDraft[] {
  return Object.entries(details).map(([key, value]) => ({ key, kind: kindOf(value), value: typeof value === 'boolean' ? value : initialText(value) }));
}

export function applyEdits(details: Record<string, unknown>, drafts: readonly DetailDraft[]): EditOutcome {
  const changes: JsonObject = {};
  const problems: Record<string, DraftProblem> = {};
  for (const draft of drafts) {
    const result = draftValue(draft);
    if (!result.ok) problems[draft.key] = result.problem;
    else if (!sameValue(result.value, details[draft.key])) changes[draft.key] = result.value;
  }
  const changedKeys = Object.keys(changes);
  return { modifiedDetails: changedKeys.length > 0 ? { ...details, ...changes } : null, changedKeys, problems };
}

export function draftValue(draft: DetailDraft): DraftResult {
  if (typeof draft.value === 'boolean') return { ok: true, value: draft.value };
  const text = draft.value;
  switch (draft.kind) {
    case 'number':
      return DECIMAL.test(text.trim()) ? { ok: true, value: Number(text.trim()) } : { ok: false, problem: 'not_a_number' };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, problem: 'invalid_json' };
      }
    case 'empty':
      // A detail that was null stays null until the agent types something.
      return { ok: true, value: text === '' ? null : text };
    default:
      return { ok: true, value: text };
  }
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
