// A Server-Sent Events reader for tests: fetch with a streamed body, parsed by the rules of the
// HTML spec's event-stream format (id, event, data lines; comment lines; blank line dispatches).
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Comment lines (heartbeats), without the leading colon. */
  comments: string[];
  /** The body of a non-stream answer (an error). */
  body: unknown;
  /** Resolves with the events once `done(events)` holds; rejects after `timeoutMs`. */
  waitFor(done: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  let body: unknown = null;
  let ended: Promise<void> = Promise.resolve();
  if (!isStream) {
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } else {
    ended = read(response.body!, events, comments).catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') throw error;
    });
  }
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    body,
    ended,
    close: () => abort.abort(),
    async waitFor(done, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(events)) {
        if (Date.now() > deadline) throw new Error(`stream: condition not met within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.id, e.event]))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return events;
    },
  };
}

async function read(stream: ReadableStream<Uint8Array>, events: SseEvent[], comments: string[]): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  let current: { id: string | null; event: string; data: string[] } = { id: null, event: 'message', data: [] };
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (current.data.length > 0) events.push({ id: current.id, event: current.event, data: current.data.join('\n') });
        current = { id: current.id, event: 'message', data: [] };
      } else if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') current.data.push(value);
        else if (field === 'event') current.event = value;
        else if (field === 'id') current.id = value;
      }
    }
  }
}
