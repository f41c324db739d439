// How a detail value reads in the sidebar. Values come from the automation and are untrusted: they
// are only ever turned into plain text, which React then renders as text.

export function isStructured(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

export function formatDetailValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (isStructured(value)) return JSON.stringify(value, null, 2);
  return String(value);
}
