// When to look for new requests: Zendesk says the ticket changed or the app came back into view, and
// every so often while the agent can actually see the sidebar (unless the live stream brings them:
// `intervalMs` null).
import { useEffect } from 'react';
import type { ZafClient } from '../zaf/zaf-client';

export const REFRESH_INTERVAL_MS = 20_000;
const ZENDESK_EVENTS = ['ticket.updated', 'app.activated'] as const;

export function useRefreshTriggers(client: ZafClient, refresh: () => Promise<void>, intervalMs: number | null = REFRESH_INTERVAL_MS): void {
  useEffect(() => {
    const onEvent = () => void refresh();
    for (const event of ZENDESK_EVENTS) client.on(event, onEvent);
    return () => {
      for (const event of ZENDESK_EVENTS) client.off?.(event, onEvent);
    };
  }, [client, refresh]);

  useEffect(() => {
    if (intervalMs === null) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      timer ??= setInterval(() => void refresh(), intervalMs);
    };
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    // A hidden tab pauses polling; coming back refreshes at once instead of waiting for the next tick.
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') return stop();
      void refresh();
      start();
    };
    if (document.visibilityState !== 'hidden') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [refresh, intervalMs]);
}
