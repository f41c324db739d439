// Turns a catalog into t(key, values) and the locale's date formatting.
import type { MessageKey, Messages } from './catalogs';

export type Translate = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;

export function createTranslator(messages: Messages): Translate {
  return (key, values) =>
    messages[key].replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) =>
      values && name in values ? String(values[name]) : placeholder,
    );
}

export function createDateFormatter(locale: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}
