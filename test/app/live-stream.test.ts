// The live stream's connection rules: where it connects, when it falls back to polling, how it
// reconnects and resumes, and that a new session means a new stream. And the sign-in's SessionKeeper
// as the session source it reads.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ApprovalView } from '@countersign/shared';
import { ApprovalStream, type ApprovalStreamOptions, type StreamState } from '../../zendesk-app/src/live/approval-stream';
import { NO_REVIEWER_SESSION } from '../../zendesk-app/src/live/reviewer-session';
import { SessionKeeper } from '../../zendesk-app/src/sign-in/session-keeper';
import { approval } from './support/fake-countersign';
import { CLOSED, FakeEventSource } from './support/fake-event-source';
import { issuedSession } from './support/signed-in-keeper';

const BASE = 'https://countersign.test';
const HOUR = 3_600_000;
/** Where the sign-in keeps the session (zendesk-app/src/sign-in/session-keeper.ts). */
const STORAGE_KEY = 'countersign.reviewerSession';

interface Harness {
  stream: ApprovalStream;
  states: StreamState[];
  received: Array<[string, ApprovalView]>;
  sessions: SessionKeeper;
}

function startStream(options: Partial<ApprovalStreamOptions> = {}, session: string | null = 'session-one'): Harness {
  const sessions = new SessionKeeper(localStorage);
  if (session) sessions.keep(issuedSession(session));
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
    harness.sessions.keep(issuedSession('fresh'));
    expect(FakeEventSource.latest().query.get('session')).toBe('fresh');
    expect(harness.states).toEqual(['offline', 'connecting']);
  });

  test('reopens with the new session when it changes, closing the old stream', () => {
    harness = startStream();
    const first = FakeEventSource.latest();
    first.accept();
    harness.sessions.keep(issuedSession('session-two'));
    expect(first.closed).toBe(true);
    expect(FakeEventSource.open().map((source) => source.query.get('session'))).toEqual(['session-two']);
    // The same session again is no change: the stream stays.
    harness.sessions.keep(issuedSession('session-two', 2 * HOUR));
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  test('closes the stream when the session is cleared, and does not reopen it with one that has run out', () => {
    vi.useFakeTimers();
    harness = startStream();
    FakeEventSource.latest().accept();
    harness.sessions.clear();
    expect(FakeEventSource.open()).toHaveLength(0);
    expect(harness.states.at(-1)).toBe('offline');

    harness.sessions.keep(issuedSession('short', 60_000));
    const short = FakeEventSource.latest();
    short.accept();
    vi.advanceTimersByTime(60_000);
    short.fail(CLOSED); // Countersign refuses the expired session
    vi.advanceTimersByTime(10 * 60_000);
    expect(FakeEventSource.instances).toHaveLength(2);
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
    harness.sessions.keep(issuedSession('later'));
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.open()).toHaveLength(0);
  });
});

describe("SessionKeeper, the stream's session source", () => {
  test('answers the kept session until it expires, then null', () => {
    let now = 1_000_000;
    const sessions = new SessionKeeper(localStorage, () => now);
    expect(sessions.getReviewerSession()).toBeNull();
    const session = issuedSession('abc', 10_000, now);
    sessions.keep(session);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).toEqual(session);
    expect(sessions.getReviewerSession()).toBe('abc');
    now += 10_000;
    expect(sessions.getReviewerSession()).toBeNull();
  });

  test('reads what another frame of the app kept, and tells its listeners when that frame changes it', () => {
    const sessions = new SessionKeeper(localStorage);
    const listener = vi.fn();
    const unsubscribe = sessions.onReviewerSessionChange(listener);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(issuedSession('from-sidebar')));
    window.dispatchEvent(new StorageEvent('storage', { key: STORAGE_KEY }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sessions.getReviewerSession()).toBe('from-sidebar');
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else' }));
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    sessions.clear();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test('lets go of a session that has run out when next asked, and tells its listeners', () => {
    vi.useFakeTimers();
    const sessions = new SessionKeeper(localStorage);
    sessions.keep(issuedSession('abc', 30_000));
    const listener = vi.fn();
    sessions.onReviewerSessionChange(listener);
    vi.advanceTimersByTime(29_999);
    expect(sessions.getReviewerSession()).toBe('abc');
    vi.advanceTimersByTime(1);
    expect(sessions.getReviewerSession()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  test('treats a malformed or expired stored value as no session', () => {
    const expired = JSON.stringify(issuedSession('old', -1));
    for (const raw of ['not json', 'null', '{"value":"x"}', '{"session":"x","expiresAt":9e15}', expired]) {
      localStorage.setItem(STORAGE_KEY, raw);
      expect(new SessionKeeper(localStorage).getReviewerSession(), raw).toBeNull();
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
    const sessions = new SessionKeeper(refusing);
    expect(sessions.getReviewerSession()).toBeNull();
    sessions.keep(issuedSession('in-memory'));
    expect(sessions.getReviewerSession()).toBe('in-memory');
    sessions.clear();
    expect(sessions.getReviewerSession()).toBeNull();
  });

  test('NO_REVIEWER_SESSION never has one', () => {
    expect(NO_REVIEWER_SESSION.getReviewerSession()).toBeNull();
    expect(typeof NO_REVIEWER_SESSION.onReviewerSessionChange(() => undefined)).toBe('function');
  });
});
