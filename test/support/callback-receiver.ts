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
}

export type Reply = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang' | 'destroy';

export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private readonly server: http.Server;
  private replies: Reply[] = [];
  private fallback: Reply = { status: 200 };
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => {
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
        this.received.push({ at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, json });
        this.answer(res, this.replies.shift() ?? this.fallback);
      });
    });
  }

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

  setFallback(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
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
