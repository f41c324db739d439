// Polls an endpoint and re-renders only when the answer changed, so the page never flickers or
// loses a text selection between polls.

/**
 * @param {() => Promise<unknown>} load
 * @param {(value: any) => void} render
 * @param {number} intervalMs
 */
export function poll(load, render, intervalMs) {
  let last = null;
  let timer = null;
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
    /** Poll now instead of waiting for the next tick (after the page caused a change). */
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
