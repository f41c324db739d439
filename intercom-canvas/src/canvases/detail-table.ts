// An approval's details (or changed details) as data-table rows, shortened to a budget: each key and
// value capped, at most `rows` rows and then "… N more". Data-table cells are plain strings, not Markdown.
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

export function detailTable(details: Readonly<Record<string, unknown>>, budget: DetailBudget): DetailTable {
  const keys = Object.keys(details);
  const shown = keys.slice(0, budget.rows);
  let shortened = shown.length < keys.length;
  const rows: DetailTable['rows'] = shown.map((key) => {
    const value = detailText(details[key]);
    if (key.length > budget.keyChars || value.length > budget.valueChars) shortened = true;
    return [plainText(key, budget.keyChars), plainText(value, budget.valueChars)];
  });
  const omitted = keys.length - shown.length;
  if (omitted > 0) rows.push(['…', `${omitted} more ${omitted === 1 ? 'field' : 'fields'}`]);
  return { rows, shortened };
}
