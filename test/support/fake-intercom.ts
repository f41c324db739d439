// A small fake of Intercom's REST API on loopback: the OAuth token exchange, GET /me, and conversation
// replies (notes), recording every request it gets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IntercomRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class FakeIntercom {
  readonly requests: IntercomRequest[] = [];
  readonly token = 'dG9rOmZha2UtaW50ZXJjb20tdG9rZW4=';
  me: Record<string, unknown> = {
    type: 'admin', id: '7001', name: 'Morgan Admin', email: 'morgan@acme.example', email_verified: true,
    app: { type: 'app', id_code: 'abc123xy', name: 'Acme', region: 'EU' },
  };
  /** Status for the next conversation replies, in order; afterwards 200. */
  replyStatuses: number[] = [];
  url = '';
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(request);
      this.answer(request, res);
    });
  });

  private answer(request: IntercomRequest, res: http.ServerResponse): void {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'POST' && request.path === '/auth/eagle/token') {
      const code = new URLSearchParams(request.body).get('code');
      return code === 'good-code' ? json(200, { token_type: 'Bearer', token: this.token, access_token: this.token }) : json(401, { errors: [{ message: 'Unauthorized Code' }] });
    }
    if (request.headers.authorization !== `Bearer ${this.token}`) return json(401, { type: 'error.list', errors: [{ code: 'unauthorized' }] });
    if (request.method === 'GET' && request.path === '/me') return json(200, this.me);
    const reply = /^\/conversations\/([^/]+)\/reply$/.exec(request.path);
    if (request.method === 'POST' && reply) return json(this.replyStatuses.shift() ?? 200, { type: 'conversation', id: reply[1] });
    json(404, { type: 'error.list', errors: [{ code: 'not_found' }] });
  }

  notes(conversationId: string): Array<IntercomRequest & { json: Record<string, unknown> }> {
    return this.requests
      .filter((r) => r.method === 'POST' && r.path === `/conversations/${conversationId}/reply`)
      .map((r) => ({ ...r, json: JSON.parse(r.body) as Record<string, unknown> }));
  }

  async waitForNotes(conversationId: string, count = 1, timeoutMs = 15_000): Promise<Array<IntercomRequest & { json: Record<string, unknown> }>> {
    const deadline = Date.now() + timeoutMs;
    while (this.notes(conversationId).length < count) {
      if (Date.now() > deadline) throw new Error(`fake Intercom: fewer than ${count} notes on ${conversationId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.notes(conversationId);
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
}
