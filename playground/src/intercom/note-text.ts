// The fake Intercom keeps a note's HTML body as plain text: paragraphs and line breaks become new
// lines, every tag is dropped, entities are decoded. The page shows the text through textContent,
// so nothing in a note is ever interpreted as markup.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function noteText(body: string): string {
  const text = body
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, name: string) => decodeEntity(name) ?? entity);
  return text.replace(/\n{2,}/g, '\n').trim();
}

function decodeEntity(name: string): string | null {
  if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? null;
  const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return String.fromCodePoint(code);
}
