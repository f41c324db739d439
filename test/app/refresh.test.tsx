// Refreshes never overlap, and polling only runs while the sidebar is visible.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, renderHook } from '@testing-library/react';
import { singleFlight } from '../../zendesk-app/src/approvals/single-flight';
import { useRefreshTriggers } from '../../zendesk-app/src/approvals/use-refresh-triggers';
import { createFakeZafClient } from './support/fake-zaf-client';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  setVisibility('visible');
});

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('singleFlight', () => {
  test('calls made while a run is in flight fold into one more run, never a parallel one', async () => {
    let running = 0;
    let maxRunning = 0;
    const releases: Array<() => void> = [];
    const task = vi.fn(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
    });
    const refresh = singleFlight(task);
    const first = refresh();
    const second = refresh();
    const third = refresh();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(task).toHaveBeenCalledTimes(1);
    releases.shift()!();
    await vi.waitFor(() => expect(task).toHaveBeenCalledTimes(2));
    releases.shift()!();
    await first;
    expect(task).toHaveBeenCalledTimes(2);
    expect(maxRunning).toBe(1);
    // Once settled, the next call starts a fresh run.
    const fourth = refresh();
    expect(task).toHaveBeenCalledTimes(3);
    releases.shift()!();
    await fourth;
  });

  test('a failing run does not wedge later ones', async () => {
    const task = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue(undefined);
    const refresh = singleFlight(task);
    await expect(refresh()).rejects.toThrow('boom');
    await expect(refresh()).resolves.toBeUndefined();
  });
});

describe('useRefreshTriggers', () => {
  test('polls on the interval while visible, pauses while hidden, refreshes on return', () => {
    vi.useFakeTimers();
    const client = createFakeZafClient({ request: async () => ({}) });
    const refresh = vi.fn(async () => undefined);
    renderHook(() => useRefreshTriggers(client, refresh, 20_000));

    vi.advanceTimersByTime(19_999);
    expect(refresh).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);

    setVisibility('hidden');
    vi.advanceTimersByTime(60_000);
    expect(refresh).toHaveBeenCalledTimes(1);

    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(20_000);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  test('refreshes on ticket.updated and app.activated, and stops everything on unmount', () => {
    vi.useFakeTimers();
    const client = createFakeZafClient({ request: async () => ({}) });
    const refresh = vi.fn(async () => undefined);
    const { unmount } = renderHook(() => useRefreshTriggers(client, refresh, 20_000));
    client.fire('ticket.updated');
    client.fire('app.activated');
    expect(refresh).toHaveBeenCalledTimes(2);
    unmount();
    client.fire('ticket.updated');
    vi.advanceTimersByTime(100_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });
});
