// Strings that come from automations (action, summary, justification, details, notes, names) reach
// the teammate's screen through this module only: capped, stripped of bidi controls (the rule every
// Countersign screen shares, from shared/), and, for text components, escaped so that Canvas Kit's
// Markdown (links and bold) cannot be produced by them.
import { withoutBidiControls } from '@countersign/shared';

const ELLIPSIS = '…';

/** The string capped at `maxChars` UTF-16 units (with an ellipsis), never splitting a surrogate pair. */
export function plainText(value: string, maxChars: number): string {
  // Only a window of a huge string is looked at: a megabyte-long summary costs no more than a short one.
  const window = value.length > maxChars * 2 ? value.slice(0, maxChars * 2) : value;
  const cleaned = withoutBidiControls(window);
  if (window === value && cleaned.length <= maxChars) return cleaned;
  let end = Math.min(cleaned.length, Math.max(0, maxChars - ELLIPSIS.length));
  if (end > 0 && isHighSurrogate(cleaned.charCodeAt(end - 1))) end -= 1;
  return cleaned.slice(0, end) + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// Every character CommonMark/GFM could read as inline syntax (emphasis, links, images, code, HTML,
// entities, strikethrough, tables, headings) gets a backslash. Escaping each character separately
// also breaks "**", "](" and friends for renderers that ignore backslash escapes.
const MARKDOWN_SIGNIFICANT = /[\\`*_~[\]()<>!|#&{}]/g;
// GFM autolinks need no syntax at all: "https://…", "www.…" and "name@host" become links.
const AUTOLINK_STARTS = /:(?=\/\/)|(?<=\bwww)\.|@/gi;

/** Untrusted text made inert for a `text` component: shows as typed, renders no link or bold. */
export function escapeMarkdown(value: string): string {
  return value.replace(MARKDOWN_SIGNIFICANT, (char) => `\\${char}`).replace(AUTOLINK_STARTS, (char) => `\\${char}`);
}

/** Capped, then escaped (capping first so an escape is never cut in half). */
export function markdownText(value: string, maxChars: number): string {
  return escapeMarkdown(plainText(value, maxChars));
}
