// Picks the catalog for a Zendesk user's locale ("de", "de-AT", "pt-BR", …): the locale itself, then its
// language, then English. Dates keep the full locale so regional formats still apply.
import { CATALOGS, DEFAULT_LANGUAGE, type Messages } from './catalogs';

export interface ResolvedLocale {
  /** For Intl: the user's own locale when the runtime knows it. */
  locale: string;
  /** The catalog language actually used. */
  language: string;
  messages: Messages;
}

export function localeChain(requested: string | null | undefined): string[] {
  const normalised = (requested ?? '').trim().replace(/_/g, '-').toLowerCase();
  const language = normalised.split('-')[0] ?? '';
  return [...new Set([normalised, language, DEFAULT_LANGUAGE].filter((candidate) => candidate.length > 0))];
}

export function resolveLocale(requested: string | null | undefined): ResolvedLocale {
  const language = localeChain(requested).find((candidate) => candidate in CATALOGS) ?? DEFAULT_LANGUAGE;
  return { locale: intlLocale(requested, language), language, messages: CATALOGS[language] ?? CATALOGS[DEFAULT_LANGUAGE]! };
}

function intlLocale(requested: string | null | undefined, fallback: string): string {
  if (!requested) return fallback;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([requested.replace(/_/g, '-')])[0] ?? fallback;
  } catch {
    return fallback; // a malformed tag throws RangeError
  }
}
