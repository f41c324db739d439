// Keeps Zendesk's iframe as tall as the sidebar's content, so there is never an inner scrollbar.
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { ZafClient } from '../zaf/zaf-client';

/** Even an empty sidebar keeps room for one line of text. */
export const MIN_HEIGHT_PX = 48;

export function useAutoResize(client: ZafClient, content: RefObject<HTMLElement | null>): void {
  const reported = useRef<number | null>(null);

  const report = useCallback(() => {
    const element = content.current;
    if (!element) return;
    const height = Math.max(MIN_HEIGHT_PX, Math.ceil(element.getBoundingClientRect().height));
    if (height === reported.current) return;
    reported.current = height;
    try {
      Promise.resolve(client.invoke('resize', { width: '100%', height: `${height}px` })).catch(() => undefined);
    } catch {
      // A host that cannot resize leaves the default height; the app still works.
    }
  }, [client, content]);

  useEffect(() => {
    const element = content.current;
    if (!element) return;
    report();
    const observer = watchSize(element, report);
    return () => observer?.disconnect();
  }, [content, report]);
}

/** ResizeObserver also sees changes React does not cause (fonts loading, text rewrapping); without it, DOM mutations are the next best signal. */
function watchSize(element: HTMLElement, onChange: () => void): { disconnect(): void } | null {
  if (typeof ResizeObserver !== 'undefined') {
    const observer = new ResizeObserver(onChange);
    observer.observe(element);
    return observer;
  }
  if (typeof MutationObserver !== 'undefined') {
    const observer = new MutationObserver(onChange);
    observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
    return observer;
  }
  return null;
}
