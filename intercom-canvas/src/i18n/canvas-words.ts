// The canvas in the workspace's language. Intercom documents no language of the teammate for Inbox
// requests; the signed request's `context.locale` ("the default end-user language of the Messenger",
// Canvas Kit reference) is the workspace's own choice of language, so German workspaces get German
// canvases and everything else (no locale, or one without a catalog) gets English.
import { ENGLISH, GERMAN, type MessageKey, type Messages } from './canvas-messages';

type Values = Readonly<Record<string, string | number>>;
/** The base of a message with _one and _other forms. */
export type CountedKey = { [K in MessageKey]: K extends `${infer Base}_one` ? Base : never }[MessageKey];

export interface CanvasWords {
  language: 'en' | 'de';
  t(key: MessageKey, values?: Values): string;
  /** The _one or _other form for `count` (English and German agree: one is 1, everything else is other). */
  counted(key: CountedKey, count: number, values?: Values): string;
  /** "A, B or C", in this language. */
  anyOf(items: readonly string[]): string;
  /** "A, B and C", in this language. */
  allOf(items: readonly string[]): string;
}

const CATALOGS = { en: ENGLISH, de: GERMAN } as const;

export function canvasWords(locale?: string | null): CanvasWords {
  const language = (locale ?? '').trim().toLowerCase().replace(/_/g, '-').split('-')[0] === 'de' ? 'de' : 'en';
  return wordsOf(language);
}

function wordsOf(language: 'en' | 'de'): CanvasWords {
  const messages: Messages = CATALOGS[language];
  const t = (key: MessageKey, values?: Values) => messages[key].replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => (values && name in values ? String(values[name]) : placeholder));
  const or = new Intl.ListFormat(language, { type: 'disjunction' });
  const and = new Intl.ListFormat(language, { type: 'conjunction' });
  return {
    language,
    t,
    counted: (key, count, values) => t(`${key}_${count === 1 ? 'one' : 'other'}` as MessageKey, { count, ...values }),
    anyOf: (items) => or.format(items),
    allOf: (items) => and.format(items),
  };
}

/** What builders use when the caller names no language. */
export const ENGLISH_WORDS: CanvasWords = wordsOf('en');
