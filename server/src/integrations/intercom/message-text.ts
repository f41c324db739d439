// Intercom message bodies (conversation and ticket parts, a conversation's first message) are HTML.
// A reviewer reads them as plain text, and an automation gets them back as text in its callback:
// html-to-text turns paragraphs and list items into lines, keeps a link's URL beside its words, and
// decodes entities; no markup survives. Huge bodies cost no more than a bounded window of them.
import { plainText } from '@countersign/intercom-canvas';
import { convert, type HtmlToTextOptions } from 'html-to-text';

/** Enough HTML for any real message many times over; the rest is cut before parsing. */
const MAX_HTML_CHARS = 64 * 1024;
const ELLIPSIS = '…';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  // maxDepth bounds the converter's recursion, which hostile nesting could otherwise overflow.
  limits: { maxDepth: 64, ellipsis: ELLIPSIS },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    // Intercom wraps each list item's text in a paragraph: one line per item, not a blank line between.
    { selector: 'li > p', format: 'inline' },
    { selector: 'table', format: 'dataTable' },
    ...HEADINGS,
  ],
};

/** The message as plain text, at most `maxChars` UTF-16 units (cut with an ellipsis, bidi overrides removed). */
export function messageText(html: string, maxChars: number): string {
  // Cut here rather than by html-to-text's maxInputLength, which warns on the console each time.
  const cut = html.length > MAX_HTML_CHARS;
  const converted = convert(cut ? html.slice(0, MAX_HTML_CHARS) : html, OPTIONS);
  const text = (cut ? `${converted}${ELLIPSIS}` : converted)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return plainText(text, maxChars);
}
