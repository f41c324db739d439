// The live stream's connection rules: where it connects, when it falls back to polling, how it
// reconnects and resumes, and that a new session means a new stream. And the stored session it reads.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ApprovalView } from '@countersign/shared';
import { ApprovalStream, type ApprovalStreamOptions, type StreamState } from '../../zendesk-app/src/live/approval-stream';
import { NO_REVIEWER_SESSION } from '../../zendesk-app/src/live/reviewer-session';
import { REVIEWER_SESSION_STORAGE_KEY, StoredReviewerSession } from '../../zendesk-app/src/live/stored-reviewer-session';
import { approval } from './support/fake-countersign';
import { CLOSED, FakeEventSource } from './support/fake-event-source';

const BASE = 'https://countersign.test';
const HOUR = 3_600_000;

interface Harness {
  stream: ApprovalStream;
  states: StreamState[];
  received: Array<[string, ApprovalView]>;
  sessions: StoredReviewerSession;
}

function startStream(options: Partial<ApprovalStreamOptions> = {}, session: string | null = 'session-one'): Harness {
  const sessions = new StoredReviewerSession(localStorage);
  if (session) sessions.save({ session, expiresAt: Date.now() + HOUR });
  const states: StreamState[] = [];
  const received: Array<[string, ApprovalView]> = [];
  const stream = new ApprovalStream({
    baseUrl: `${BASE}/`,
    ticketId: '4512',
    sessions,
    eventSource: (url) => new FakeEventSource(url),
    onApproval: (view, event) => received.push([event, view]),
    onStateChange: (state) => states.push(state),
    random: () => 1, // the longest delay of each step, so the steps are exact
    ...options,
  });
  stream.start();
  return { stream, states, received, sessions };
}

let harness: Harness | null = null;

beforeEach(() => {
  FakeEventSource.reset();
  localStorage.clear();
});

afterEach(() => {
  harness?.stream.stop();
  harness = null;
  vi.useRealTimers();
});

describe('ApprovalStream', () => {
  test("opens Countersign's stream with the ticket and the reviewer session in the URL, and is live once it answers", () => {
    harness = startStream();
    const source = FakeEventSource.latest();
    const url = new URL(source.url);
    expect(url.origin + url.pathname).toBe(`${BASE}/api/approvals/stream`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ ticketId: '4512', session: 'session-one' });
    expect(harness.states).toEqual(['connecting']);
    source.accept();
    expect(harness.states).toEqual(['connecting', 'live']);
  });

  test('asks for every ticket when no ticket is given (the queue)', () => {
    harness = startStream({ ticketId: undefined });
    expect(FakeEventSource.latest().query.has('ticketId')).toBe(false);
  });

  test('hands each approval event over, parsed, and ignores what is not an approval', () => {
    harness = startStream();
    const source = FakeEventSource.latest();
    source.accept();
    const created = approval();
    source.send('approval.created', created, '11');
    source.send('approval.updated', { ...created, status: 'approved' }, '12');
    source.send('approval.updated', 'not json {', '13');
    source.send('approval.updated', { approvalId: 'apr_x', status: 'nonsense' }, '14');
    source.send('message', created, '15');
    expect(harness.received.map(([event, view]) => [event, view.approvalId, view.status])).toEqual([
      ['approval.created', created.approvalId, 'pending'],
      ['approval.updated', created.approvalId, 'approved'],
    ]);
  });

  test('is offline (the app polls) when the browser has no EventSource', () => {
    harness = startStream({ eventSource: null });
    expect(harness.states).toEqual(['offline']);
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  test('is offline without a session, and opens as soon as the sign-in provides one', () => {
    harness = startStream({}, null);
    expect(harness.states).toEqual(['offline']);
    expect(FakeEventSource.instances).toHaveLength(0);
    harness.sessions.save({ session: 'fresh', expiresAt: Date.now() + HOUR });
    expect(FakeEventSource.latest().query.get('session')).toBe('fresh');
    expect(harness.states).toEqual(['offline', 'connecting']);
  });

  test('reopens with the new session when it changes, closing the old stream', () => {
    harness = startStream();
    const first = FakeEventSource.latest();
    first.accept();
    harness.sessions.save({ session: 'session-two', expiresAt: Date.now() + HOUR });
    expect(first.closed).toBe(true);
    expect(FakeEventSource.open().map((source) => source.query.get('session'))).toEqual(['session-two']);
    // The same session again is no change: the stream stays.
    harness.sessions.save({ session: 'session-two', expiresAt: Date.now() + 2 * HOUR });
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  test('closes the stream when the session is cleared or expires', () => {
    vi.useFakeTimers();
    harness = startStream();
    FakeEventSource.latest().accept();
    harness.sessions.clear();
    expect(FakeEventSource.open()).toHaveLength(0);
    expect(harness.states.at(-1)).toBe('offline');

    harness.sessions.save({ session: 'short', expiresAt: Date.now() + 60_000 });
    FakeEventSource.latest().accept();
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.open()).toHaveLength(0);
    expect(harness.states.at(-1)).toBe('offline');
  });

  test("leaves a dropped connection to the browser's own reconnect a few times, then polls and reopens later, resuming after the last event", () => {
    vi.useFakeTimers();
    harness = startStream();
    const first = FakeEventSource.latest();
    first.accept();
    first.send('approval.created', approval(), '41');
    first.fail();
    first.fail();
    expect(harness.states.at(-1)).toBe('connecting');
    expect(first.closed).toBe(false); // still the browser's to retry
    first.fail();
    expect(first.closed).toBe(true);
    expect(harness.states.at(-1)).toBe('offline');
    expect(FakeEventSource.instances).toHaveLength(1);

    vi.advanceTimersByTime(1_999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1); // the first delay: 2 s
    const second = FakeEventSource.latest();
    expect(second).not.toBe(first);
    expect(second.query.get('lastEventId')).toBe('41');
    second.accept();
    expect(harness.states.at(-1)).toBe('live');
  });

  test('a stream the browser gave up on (an HTTP error) is retried with a growing delay, capped', () => {
    vi.useFakeTimers();
    harness = startStream({ retry: { failuresBeforeFallback: 3, firstDelayMs: 1_000, maxDelayMs: 5_000 } });
    const reopenedAfter: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const count = FakeEventSource.instances.length;
      FakeEventSource.latest().fail(CLOSED);
      let waited = 0;
      while (FakeEventSource.instances.length === count) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      reopenedAfter.push(waited);
    }
    expect(reopenedAfter).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    // A stream that opens starts the count again.
    FakeEventSource.latest().accept();
    FakeEventSource.latest().fail(CLOSED);
    vi.advanceTimersByTime(999);
    const count = FakeEventSource.instances.length;
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances.length).toBe(count + 1);
  });

  test('spreads reconnects between half and all of the delay, so agents do not all return at once', () => {
    vi.useFakeTimers();
    harness = startStream({ random: () => 0 });
    FakeEventSource.latest().fail(CLOSED);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  test('stops for good: the stream closes, a pending retry is cancelled, and session changes are ignored', () => {
    vi.useFakeTimers();
    harness = startStream();
    FakeEventSource.latest().fail(CLOSED);
    harness.stream.stop();
    vi.advanceTimersByTime(10 * 60_000);
    harness.sessions.save({ session: 'later', expiresAt: Date.now() + HOUR });
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.open()).toHaveLength(0);
  });
});

describe('StoredReviewerSession', () => {
  test('answers the stored session until it expires, then null', () => {
    let now = 1_000_000;
    const sessions = new StoredReviewerSession(localStorage, () => now);
    expect(sessions.getReviewerSession()).toBeNull();
    sessions.save({ session: 'abc', expiresAt: now + 10_000 });
    expect(JSON.parse(localStorage.getItem(REVIEWER_SESSION_STORAGE_KEY)!)).toEqual({ session: 'abc', expiresAt: now + 10_000 });
    expect(sessions.getReviewerSession()).toBe('abc');
    now += 10_000;
    expect(sessions.getReviewerSession()).toBeNull();
  });

  test('reads what another frame of the app stored, and tells its listeners when that frame changes it', () => {
    const sessions = new StoredReviewerSession(localStorage);
    const listener = vi.fn();
    const unsubscribe = sessions.onReviewerSessionChange(listener);
    localStorage.setItem(REVIEWER_SESSION_STORAGE_KEY, JSON.stringify({ session: 'from-sidebar', expiresAt: Date.now() + HOUR }));
    window.dispatchEvent(new StorageEvent('storage', { key: REVIEWER_SESSION_STORAGE_KEY }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sessions.getReviewerSession()).toBe('from-sidebar');
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else' }));
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    sessions.clear();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test('tells its listeners when the session runs out', () => {
    vi.useFakeTimers();
    const sessions = new StoredReviewerSession(localStorage);
    sessions.save({ session: 'abc', expiresAt: Date.now() + 30_000 });
    const listener = vi.fn();
    sessions.onReviewerSessionChange(listener);
    vi.advanceTimersByTime(29_999);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sessions.getReviewerSession()).toBeNull();
  });

  test('treats a malformed stored value as no session', () => {
    const sessions = new StoredReviewerSession(localStorage);
    for (const raw of ['not json', 'null', '{"session":""}', '{"session":"x"}', '{"token":"x","expiresAt":9e15}']) {
      localStorage.setItem(REVIEWER_SESSION_STORAGE_KEY, raw);
      expect(sessions.getReviewerSession(), raw).toBeNull();
    }
  });

  test('keeps the session in the frame when storage refuses it', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    const sessions = new StoredReviewerSession(refusing);
    expect(sessions.getReviewerSession()).toBeNull();
    sessions.save({ session: 'in-memory', expiresAt: Date.now() + HOUR });
    expect(sessions.getReviewerSession()).toBe('in-memory');
    sessions.clear();
    expect(sessions.getReviewerSession()).toBeNull();
  });

  test('NO_REVIEWER_SESSION never has one', () => {
    expect(NO_REVIEWER_SESSION.getReviewerSession()).toBeNull();
    expect(typeof NO_REVIEWER_SESSION.onReviewerSessionChange(() => undefined)).toBe('function');
  });
});
