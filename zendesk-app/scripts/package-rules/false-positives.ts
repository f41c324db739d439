// Strings in the built sidebar that Zendesk's validator reports (plain-http URLs, possible secrets)
// but that are neither requests nor credentials. Each entry matches one exact form, as the production
// bundle spells it, and only the part Zendesk's scan reacts to (`http:`, the word `password`): a real
// plain-http URL or secret beside them is still reported, and a library upgrade that changes a form
// turns it back into a warning for someone to look at, instead of hiding something new.

export type Scan = 'plain_http' | 'secret';

export interface FalsePositive {
  scan: Scan;
  /** Global regex; what it matches is blanked out before the scan. */
  pattern: RegExp;
  /** What the string is, for the notice. */
  what: string;
}

export const FALSE_POSITIVES: readonly FalsePositive[] = [
  {
    scan: 'plain_http',
    pattern: /http:(?=\/\/www\.w3\.org\/(?:2000\/svg|1999\/xhtml|1999\/xlink|XML\/1998\/namespace|1998\/Math\/MathML)[`'"])/g,
    what: "XML namespace names (React DOM, Garden's SVG icons), compared as strings and given to createElementNS",
  },
  {
    scan: 'plain_http',
    pattern: /http:(?=\/\/json-schema\.org\/draft-0[4-7]\/schema#[`'"])/g,
    what: "JSON Schema dialect ids that zod's JSON Schema export writes into documents",
  },
  {
    scan: 'plain_http',
    pattern: /http:(?=\/\/\[\$\{[\w$]+\}\]`)/g,
    what: "zod's IPv6 check, which parses `http://[address]` with the URL constructor",
  },
  {
    scan: 'plain_http',
    pattern: /http:(?=\/\/fb\.me\/use-check-prop-types")/g,
    what: "a documentation link in an error message of prop-types (used by Garden)",
  },
  {
    scan: 'plain_http',
    pattern: /(?<=`)http:(?=`)/g,
    what: "the scheme name alone, compared with a URL's protocol (the callback-URL and sidebar-origin checks in @countersign/shared)",
  },
  {
    scan: 'secret',
    pattern: /(?<=number:!0,)password(?=:!0,range:!0)/g,
    what: "React DOM's table of text input types",
  },
  {
    scan: 'secret',
    pattern: /(?<=\.type===`)password(?=`)/g,
    what: "an input type React DOM compares with",
  },
  {
    scan: 'secret',
    pattern: /(?<=\.username\|\|[\w$]+\.)password(?=\?)/g,
    what: "the password part of a URL, read by the callback-URL check in @countersign/shared to refuse URLs with credentials",
  },
];

/** The text with the false positives of one scan blanked out (same length, so positions hold), and the ones found. */
export function withoutFalsePositives(text: string, scan: Scan): { text: string; found: FalsePositive[] } {
  const found: FalsePositive[] = [];
  let masked = text;
  for (const entry of FALSE_POSITIVES.filter((candidate) => candidate.scan === scan)) {
    const next = masked.replace(entry.pattern, (match) => ' '.repeat(match.length));
    if (next !== masked) found.push(entry);
    masked = next;
  }
  return { text: masked, found };
}
