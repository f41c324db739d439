// How a detail value reads in the sidebar. Values come from the automation and are untrusted: they
// are only ever turned into plain text (without bidi controls), which React then renders as text.
import { withoutBidiControls } from '@countersign/shared';

export function isStructured(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

export function formatDetailValue(value: unknown): string {
  if (typeof value === 'string') return withoutBidiControls(value);
  if (value === undefined) return '';
  if (isStructured(value)) return withoutBidiControls(JSON.stringify(value, null, 2));
  return String(value);
}
