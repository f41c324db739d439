// The colour scheme Zendesk shows: the one in the iframe URL until Zendesk says otherwise.
import { useEffect, useState } from 'react';
import type { ZafClient } from '../zaf/zaf-client';
import { colorSchemeFromUrl, parseColorScheme, type ColorScheme } from './color-scheme';

/** The scheme from the iframe URL until Zendesk says otherwise; `live` is the latest change event. */
export function useColorScheme(client: ZafClient): { initial: ColorScheme; live: ColorScheme | null } {
  const [initial] = useState<ColorScheme>(() => colorSchemeFromUrl(window.location.search, window.location.hash) ?? 'light');
  const [live, setLive] = useState<ColorScheme | null>(null);
  useEffect(() => {
    const onChange = (value?: unknown) => {
      const scheme = parseColorScheme(value) ?? parseColorScheme((value as { colorScheme?: unknown } | null)?.colorScheme);
      if (scheme) setLive(scheme);
    };
    client.on('colorScheme.changed', onChange);
    return () => void client.off?.('colorScheme.changed', onChange);
  }, [client]);
  return { initial, live };
}
