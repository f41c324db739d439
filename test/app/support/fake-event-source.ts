// A stand-in for the browser's EventSource (jsdom has none): records every stream the app opens and
// lets a test open it, send it events, or fail it the way the browser reports failures.
import type { EventSourceLike } from '../../../zendesk-app/src/live/approval-stream';

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;

export class FakeEventSource implements EventSourceLike {
  static readonly instances: FakeEventSource[] = [];
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;

  readyState = CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances.length = 0;
  }

  static latest(): FakeEventSource {
    const last = FakeEventSource.instances.at(-1);
    if (!last) throw new Error('the app opened no stream');
    return last;
  }

  /** The streams the app still holds open. */
  static open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((source) => !source.closed);
  }

  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = CLOSED;
  }

  /** The server answered with an event stream. */
  accept(): void {
    this.readyState = OPEN;
    this.onopen?.(new Event('open'));
  }

  /** One event, as the browser dispatches it: the data as text, the id as lastEventId. */
  send(type: string, data: unknown, id: string): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data: text, lastEventId: id }));
  }

  /** A dropped connection the browser will retry (CONNECTING), or one it gave up on (CLOSED: an HTTP error). */
  fail(readyState: typeof CONNECTING | typeof CLOSED = CONNECTING): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
}
