// Polls an endpoint and re-renders only when the answer changed, so the page never flickers or
// loses a text selection between polls.

export interface Poller {
  /** Poll now instead of waiting for the next tick (after the page caused a change). */
  now(): void;
  stop(): void;
}

export function poll<T>(load: () => Promise<T>, render: (value: T) => void, intervalMs: number): Poller {
  let last: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const value = await load();
      const signature = JSON.stringify(value);
      if (signature !== last) {
        last = signature;
        render(value);
      }
    } catch (error) {
      console.warn('playground poll failed', error);
    } finally {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  void tick();
  return {
    now() {
      clearTimeout(timer);
      void tick();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
