// Zendesk tells an app its colour scheme three ways: the iframe URL (?colorScheme=dark), the
// `colorScheme` property, and the `colorScheme.changed` event. All of them go through here.

export type ColorScheme = 'light' | 'dark';

export function parseColorScheme(value: unknown): ColorScheme | null {
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  return word === 'dark' || word === 'light' ? word : null;
}

export function colorSchemeFromUrl(search: string, hash = ''): ColorScheme | null {
  return parseColorScheme(new URLSearchParams(search).get('colorScheme') ?? new URLSearchParams(hash.replace(/^#/, '')).get('colorScheme'));
}
