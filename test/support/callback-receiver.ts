// A real HTTP server on loopback standing in for an automation's callback endpoint (or for Zendesk's
// API, when tests need to see the notes written back).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** What the receiver answered (or is about to). */
  reply: Reply;
  /** When the answer was handed to the connection; unset while pending, or when the caller went away first. */
  answeredAt?: number;
}

export type Reply = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang' | 'destroy';

export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private server: http.Server;
  /** Servers closed by goOffline(), whose open connections stop() still ends. */
  private readonly offline: http.Server[] = [];
  private port = 0;
  private replies: Reply[] = [];
  private fallback: Reply = { status: 200 };
  private chooser: ((received: Omit<ReceivedCallback, 'reply'>) => Reply | undefined) | null = null;
  url = '';

  /** `host`: the loopback address to listen on; any of 127.0.0.0/8 reaches loopback on Linux, so each can stand for another host. */
  constructor(private readonly host = '127.0.0.1') {
    this.server = http.createServer(this.handle);
  }

  private readonly handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as-is
      }
      const request = { at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, json };
      const reply = this.chooser?.(request) ?? this.replies.shift() ?? this.fallback;
      const entry: ReceivedCallback = { ...request, reply };
      this.received.push(entry);
      res.on('finish', () => (entry.answeredAt = Date.now()));
      this.answer(res, reply);
    });
  };

  private answer(res: http.ServerResponse, reply: Reply): void {
    if (reply === 'hang') return;
    if (reply === 'destroy') {
      res.socket?.destroy();
      return;
    }
    setTimeout(() => res.writeHead(reply.status, reply.headers).end('ok'), reply.delayMs ?? 0);
  }

  /** Replies for the next requests, in order; afterwards `fallback` (default 200). */
  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  /** Chooses the reply from the request itself; when it returns undefined, the queued replies and fallback apply. */
  replyBy(choose: (received: Omit<ReceivedCallback, 'reply'>) => Reply | undefined): this {
    this.chooser = choose;
    return this;
  }

  setFallback(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${this.host}:${this.port}`;
    return this;
  }

  /**
   * Stops listening, so new connections to the port are refused; requests already in progress (a
   * hanging one, say) keep their connection. `start()` listens again on the same port.
   */
  goOffline(): void {
    this.server.close();
    this.server.closeIdleConnections();
    this.offline.push(this.server);
    this.server = http.createServer(this.handle);
  }

  async stop(): Promise<void> {
    for (const server of this.offline) server.closeAllConnections();
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  for(approvalId: string): ReceivedCallback[] {
    return this.received.filter((r) => r.json.approvalId === approvalId);
  }

  async waitFor(predicate: (received: ReceivedCallback[]) => boolean, timeoutMs = 15_000): Promise<ReceivedCallback[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`callback receiver: condition not met within ${timeoutMs} ms (got ${this.received.length} requests)`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.received;
  }
}
