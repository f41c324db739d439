// The UI catalogs (the `ui` sections of zendesk-app/translations/) and the locale fallback chain.
import { describe, expect, test } from 'vitest';
import { ui as en } from '../../zendesk-app/translations/en.json';
import { ui as de } from '../../zendesk-app/translations/de.json';
import { localeChain, resolveLocale } from '../../zendesk-app/src/i18n/locale';
import { createTranslator } from '../../zendesk-app/src/i18n/translator';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe('catalogs', () => {
  test('German translates every English key, with the same placeholders', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const german = (de as Record<string, string>)[key]!;
      expect(german.trim(), key).not.toBe('');
      expect(placeholders(german), key).toEqual(placeholders(text));
    }
  });

  test('the labels the e2e tests rely on', () => {
    expect([en['actions.approve'], en['actions.reject'], en['actions.edit'], en['actions.confirmReject'], en['actions.approveWithChanges'], en['actions.cancel']]).toEqual([
      'Approve', 'Reject', 'Edit', 'Confirm rejection', 'Approve with changes', 'Cancel',
    ]);
  });
});

describe('locale', () => {
  test.each([
    ['de-AT', ['de-at', 'de', 'en']],
    ['pt_BR', ['pt-br', 'pt', 'en']],
    ['en', ['en']],
    [null, ['en']],
  ])('%s falls back through %j', (locale, chain) => {
    expect(localeChain(locale)).toEqual(chain);
  });

  test('picks the first catalog in the chain and keeps the region for dates', () => {
    expect(resolveLocale('de-AT')).toMatchObject({ language: 'de', locale: 'de-AT' });
    expect(resolveLocale('fr-FR').language).toBe('en');
    expect(resolveLocale('not a locale!')).toMatchObject({ language: 'en', locale: 'en' });
  });

  test('fills placeholders and leaves unknown ones visible', () => {
    const t = createTranslator(resolveLocale('en').messages);
    expect(t('card.requestedBy', { agent: 'Bot' })).toBe('Requested by Bot');
    expect(t('card.requestedBy')).toBe('Requested by {{agent}}');
  });
});
