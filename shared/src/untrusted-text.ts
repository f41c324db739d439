// Text from automations (and from other reviewers) shown to a person: every screen and note that
// repeats it goes through this rule, so what the reviewer reads is the order the characters really
// have ("Trojan Source", CVE-2021-42574).

// The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) can make
// "acct moc.live@\u202Eenaj" read as another address. The invisible direction marks (LRM U+200E,
// RLM U+200F, ALM U+061C) cannot reverse a word but can move the punctuation and digits around
// them; they carry no content of their own, so removing them from what is shown loses nothing.
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** The text as it is to be shown: without bidi controls. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
