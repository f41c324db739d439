// A deliberately generous reading of inline Markdown, to count what a renderer could make of a text
// component: links ([x](y), autolinks, e-mail autolinks), raw HTML, and bold/emphasis runs. Backslash
// escapes are honoured (CommonMark); an escaped character counts as plain text.
export interface InlineSyntax {
  links: number;
  html: number;
  bold: number;
}

export function inlineSyntax(markdown: string): InlineSyntax {
  const masked = markdown.replace(/\\[\s\S]/g, '\u0000');
  const count = (pattern: RegExp) => (masked.match(pattern) ?? []).length;
  return {
    links: count(/\[[^\]]*\]\s*\([^)]*\)/g) + count(/\[[^\]]*\]\s*\[[^\]]*\]/g) + count(/\b[a-z][a-z0-9+.-]*:\/\//gi) + count(/\bwww\./gi) + count(/[^\s@\u0000]@[^\s@\u0000]/g),
    html: count(/<[a-z!/?]/gi),
    bold: count(/\*\*[^*]+\*\*/g) + count(/__[^_]+__/g) + count(/(^|[^*])\*[^*\s][^*]*\*/g) + count(/(^|[^_])_[^_\s][^_]*_/g),
  };
}

/** The text with escapes removed: what the teammate reads. */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(/\\([\s\S])/g, '$1');
}
