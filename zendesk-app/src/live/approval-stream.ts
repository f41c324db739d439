// Countersign's live stream of approvals (GET /api/approvals/stream) as a browser EventSource, opened
// straight to Countersign (Zendesk's request proxy cannot carry a stream) with the agent's reviewer
// session in the URL. The browser's EventSource already reconnects by itself and resumes with
// Last-Event-ID; what is written here is only what it cannot decide: when to stop trusting it and
// poll instead, when to try again, and that a new session means a new stream.
import { ApprovalView, STREAM_EVENTS } from '@countersign/shared';
import type { ReviewerSessionSource } from './reviewer-session';

export type StreamEventName = (typeof STREAM_EVENTS)[number];

/**
 * `live`: the stream is open and delivering. `connecting`: opening or reconnecting. `offline`: no
 * stream (no EventSource in this browser, no session, or repeated failures); the app polls.
 */
export type StreamState = 'connecting' | 'live' | 'offline';

export interface RetryPolicy {
  /** Errors in a row, without the stream opening in between, before the app falls back to polling. */
  failuresBeforeFallback: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { failuresBeforeFallback: 3, firstDelayMs: 2_000, maxDelayMs: 120_000 };

/** The part of EventSource used here, so tests can hand in a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2; // EventSource.CLOSED: the browser gave up (an HTTP error, or not an event stream)

export interface ApprovalStreamOptions {
  /** Countersign's base URL (the app's COUNTERSIGN_PUBLIC_URL). */
  baseUrl: string;
  /** Only this ticket's approvals; every ticket's when absent. */
  ticketId?: string;
  sessions: ReviewerSessionSource;
  onApproval: (approval: ApprovalView, event: StreamEventName) => void;
  onStateChange: (state: StreamState) => void;
  /** null when the browser has no EventSource. */
  eventSource?: EventSourceFactory | null;
  retry?: RetryPolicy;
  random?: () => number;
}

export class ApprovalStream {
  private source: EventSourceLike | null = null;
  private session: string | null = null;
  private lastEventId: string | null = null;
  /** Errors since the stream last opened (the browser's own retries included). */
  private errorsInARow = 0;
  /** Streams given up on since one last opened: the backoff's exponent. */
  private givenUp = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | null = null;
  private state: StreamState | null = null;
  private readonly factory: EventSourceFactory | null;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly options: ApprovalStreamOptions) {
    this.factory = options.eventSource === undefined ? browserEventSource() : options.eventSource;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.sessions.onReviewerSessionChange(() => {
      if (this.options.sessions.getReviewerSession() === this.session) return;
      this.errorsInARow = this.givenUp = 0; // a new session deserves a fresh start
      this.open();
    });
    this.open();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.closeSource();
    clearTimeout(this.retryTimer);
  }

  private open(): void {
    this.closeSource();
    clearTimeout(this.retryTimer);
    this.session = this.options.sessions.getReviewerSession();
    if (!this.factory || this.session === null) return this.setState('offline');
    this.setState('connecting');
    let source: EventSourceLike;
    try {
      source = this.factory(this.streamUrl(this.session));
    } catch {
      return this.failed(); // a URL the browser refuses, or a constructor that throws
    }
    this.source = source;
    source.onopen = () => {
      this.errorsInARow = this.givenUp = 0;
      this.setState('live');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      // CONNECTING: the browser retries by itself and resumes; give it a few tries, then poll.
      this.errorsInARow += 1;
      if (source.readyState !== CLOSED && this.errorsInARow < this.retry.failuresBeforeFallback) return this.setState('connecting');
      this.failed();
    };
    for (const name of STREAM_EVENTS) source.addEventListener(name, (event) => this.receive(source, name, event));
  }

  private receive(source: EventSourceLike, name: StreamEventName, event: MessageEvent<string>): void {
    if (this.source !== source) return;
    if (event.lastEventId) this.lastEventId = event.lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // not JSON: nothing to show, and the next poll or event corrects the list
    }
    const parsed = ApprovalView.safeParse(data);
    if (parsed.success) this.options.onApproval(parsed.data, name);
  }

  /** Gives up on this stream: poll meanwhile, and open a new one later, resuming where this one stopped. */
  private failed(): void {
    this.closeSource();
    this.givenUp += 1;
    this.setState('offline');
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** Math.min(this.givenUp - 1, 30));
    // Half fixed, half random: after a Countersign restart, agents do not all come back at once.
    const delay = ceiling / 2 + (ceiling / 2) * this.random();
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private closeSource(): void {
    const source = this.source;
    this.source = null;
    if (!source) return;
    source.onopen = null;
    source.onerror = null;
    source.close();
  }

  private streamUrl(session: string): string {
    const query = new URLSearchParams();
    if (this.options.ticketId) query.set('ticketId', this.options.ticketId);
    query.set('session', session);
    // A new EventSource starts without the browser's Last-Event-ID; the query carries it instead.
    if (this.lastEventId) query.set('lastEventId', this.lastEventId);
    return `${this.options.baseUrl.replace(/\/+$/, '')}/api/approvals/stream?${query}`;
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange(state);
  }
}

function browserEventSource(): EventSourceFactory | null {
  const Constructor = (globalThis as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
  return typeof Constructor === 'function' ? (url) => new Constructor(url) : null;
}
