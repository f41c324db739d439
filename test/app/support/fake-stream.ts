// For the tests of an app that follows Countersign's stream (the live sidebar, the queue): each test
// gets FakeEventSource as the browser's EventSource and empty storage, and afterwards the app is
// unmounted and the real globals and timers are back. `acceptedStream` answers the stream the app opened.
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { act, cleanup, waitFor } from '@testing-library/react';
import { FakeEventSource } from './fake-event-source';

export function fakeStreamForEachTest(): void {
  beforeEach(() => {
    FakeEventSource.reset();
    localStorage.clear();
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
}

/** The one stream the app opened, answered by the server. */
export async function acceptedStream(): Promise<FakeEventSource> {
  await waitFor(() => expect(FakeEventSource.open()).toHaveLength(1));
  const source = FakeEventSource.latest();
  act(() => source.accept());
  return source;
}
