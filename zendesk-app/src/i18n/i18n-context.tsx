// Makes the agent's language available to every component.
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { resolveLocale } from './locale';
import { createDateFormatter, createTranslator, type Translate } from './translator';

export interface I18n {
  t: Translate;
  language: string;
  locale: string;
  formatDateTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, children }: { locale: string | null; children: ReactNode }) {
  const value = useMemo<I18n>(() => {
    const resolved = resolveLocale(locale);
    return {
      t: createTranslator(resolved.messages),
      language: resolved.language,
      locale: resolved.locale,
      formatDateTime: createDateFormatter(resolved.locale),
    };
  }, [locale]);
  useEffect(() => {
    document.documentElement.lang = value.language; // screen readers pick their voice from it
  }, [value.language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
