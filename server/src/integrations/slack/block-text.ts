// Untrusted text (an automation's summary, details, a reviewer's note) as Block Kit carries it: never
// a bidi control, shortened to Slack's limits, and in mrkdwn with &, < and > escaped, so no text can
// become a mention (<!channel>), a link or a user reference.
import { withoutBidiControls } from '@countersign/shared';
import type { PlainTextElement } from '@slack/web-api';

/** At most `max` characters (an ellipsis marking a cut), never empty (Slack refuses empty text). */
export function shortened(text: string, max: number): string {
  const clean = withoutBidiControls(text);
  const chars = Array.from(clean);
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
  return cut.trim() === '' ? '—' : cut;
}

export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: shortened(text, max), emoji: false };
}

/** Text inside mrkdwn, escaped as Slack asks (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escaped(text: string, max: number): string {
  return shortened(text, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A detail's value as one line of text: strings as they are, everything else as JSON. */
export function detailText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

/** A time as Slack shows it in the reader's own time zone, with the UTC time for clients that cannot. */
export function slackDate(epochMs: number): string {
  const fallback = new Date(epochMs).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  return `<!date^${Math.floor(epochMs / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}
