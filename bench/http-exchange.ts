// One HTTP request from the bench, on node:http with an agent the caller chooses (keep-alive for
// steady load, one socket per request for thousands of held responses). Answers when the whole
// response body has arrived, with the performance.now() of that moment.
import http from 'node:http';

export interface Exchange {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  agent: http.Agent;
  /** The socket may stay silent this long before the request fails with a TimeoutError. */
  timeoutMs: number;
}

export interface Answer {
  status: number;
  body: string;
  /** performance.now() when the last byte of the response body had been read. */
  endedAt: number;
}

export class ExchangeTimeout extends Error {
  override readonly name = 'TimeoutError';
}

export function exchange(request: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const req = http.request(request.url, { method: request.method, headers, agent: request.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), endedAt: performance.now() }));
      res.on('error', reject);
    });
    req.setTimeout(request.timeoutMs, () => req.destroy(new ExchangeTimeout(`no response within ${request.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Fetches and parses a JSON answer, failing on anything but the expected status. */
export async function exchangeJson<T>(request: Exchange, expectedStatus = 200): Promise<T> {
  const answer = await exchange(request);
  if (answer.status !== expectedStatus) throw new Error(`${request.method} ${request.url} answered ${answer.status}, expected ${expectedStatus}: ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as T;
}
