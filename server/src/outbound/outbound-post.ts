// One outbound POST with a hard deadline, no redirects followed, and every connection checked by the
// callback guard. Answers what happened instead of throwing.
import http from 'node:http';
import https from 'node:https';
import type { CallbackGuard } from './callback-guard';

export interface PostOutcome {
  statusCode: number | null;
  /** Why the attempt failed, in words safe for logs and the audit trail (no URL query, no secrets). */
  error: string | null;
  /** From Retry-After on 429/503, in milliseconds. */
  retryAfterMs: number | null;
  durationMs: number;
  /** The callback guard refused the address (SSRF): nothing was sent, and the host is not to blame. */
  blocked?: boolean;
}

export interface PostOptions {
  /** POST unless said otherwise (Zendesk ticket updates are PUTs). */
  method?: 'POST' | 'PUT';
  headers: Record<string, string>;
  timeoutMs: number;
  guard: CallbackGuard;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export function postOutbound(rawUrl: string, body: string, options: PostOptions): Promise<PostOutcome> {
  const started = performance.now();
  const finish = (partial: Omit<PostOutcome, 'durationMs'>): PostOutcome => ({ ...partial, durationMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
      options.guard.checkLiteral(url);
    } catch (error) {
      resolve(finish({ statusCode: null, error: describe(error, options.timeoutMs), retryAfterMs: null, blocked: isBlocked(error) }));
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const signal = AbortSignal.timeout(options.timeoutMs);
    const request = transport.request(url, {
      method: options.method ?? 'POST',
      agent: agents[url.protocol as keyof typeof agents],
      lookup: options.guard.lookup,
      signal,
      headers: { ...options.headers, 'content-length': Buffer.byteLength(body).toString() },
    });
    request.on('response', (response) => {
      response.resume(); // drain; the body is not needed
      const statusCode = response.statusCode ?? 0;
      const ok = statusCode >= 200 && statusCode < 300;
      resolve(finish({
        statusCode,
        error: ok ? null : statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode} (redirects are not followed)` : `HTTP ${statusCode}`,
        retryAfterMs: statusCode === 429 || statusCode === 503 ? parseRetryAfter(response.headers['retry-after']) : null,
      }));
    });
    request.on('error', (error) => resolve(finish({ statusCode: null, error: describe(error, options.timeoutMs), retryAfterMs: null, blocked: isBlocked(error) })));
    request.end(body);
  });
}

function isBlocked(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EBLOCKEDADDRESS';
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as NodeJS.ErrnoException;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  if (e.code === 'EBLOCKEDADDRESS') return e.message;
  if (e.code) return `${e.code}${e.syscall ? ` (${e.syscall})` : ''}`;
  return e.message || 'request failed';
}

export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
