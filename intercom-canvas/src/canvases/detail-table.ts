// An approval's details (or changed details) as data-table rows, shortened to a budget: each key and
// value capped, at most `rows` rows and then "… N more". Data-table cells are plain strings, not Markdown.
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import { plainText } from './untrusted-text';

export interface DetailBudget {
  rows: number;
  keyChars: number;
  valueChars: number;
}

export interface DetailTable {
  rows: Array<[field: string, value: string]>;
  /** Something was cut or left out: the canvas should offer the whole request. */
  shortened: boolean;
}

/** Roomy first, then tighter, then no rows at all ("… N more fields"): canvases try them in order. */
export const DETAIL_BUDGETS: readonly DetailBudget[] = [
  { rows: 40, keyChars: 80, valueChars: 300 },
  { rows: 15, keyChars: 40, valueChars: 100 },
  { rows: 0, keyChars: 0, valueChars: 0 },
];

/** A detail value as the teammate reads and edits it: strings as they are, anything else as JSON. */
export function detailText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}

export function detailTable(details: Readonly<Record<string, unknown>>, budget: DetailBudget, words: CanvasWords = ENGLISH_WORDS): DetailTable {
  return detailRowsTable(Object.entries(details), budget, words);
}

/** The same for rows given as [field, value] pairs (changed paths, which need not be unique keys). */
export function detailRowsTable(entries: ReadonlyArray<readonly [string, unknown]>, budget: DetailBudget, words: CanvasWords = ENGLISH_WORDS): DetailTable {
  const shown = entries.slice(0, budget.rows);
  let shortened = shown.length < entries.length;
  const rows: DetailTable['rows'] = shown.map(([key, raw]) => {
    const value = detailText(raw);
    if (key.length > budget.keyChars || value.length > budget.valueChars) shortened = true;
    return [plainText(key, budget.keyChars), plainText(value, budget.valueChars)];
  });
  const omitted = entries.length - shown.length;
  if (omitted > 0) rows.push(['…', words.counted('table.more', omitted)]);
  return { rows, shortened };
}
