// An outbound request whose answer is read: a platform's API (Intercom's admins, Zendesk's OAuth token
// and users/me). Same guard as every outbound call (SSRF checks, pinned lookups, no redirects), a hard
// deadline, and a cap on what is read. Answers what happened instead of throwing.
import http from 'node:http';
import https from 'node:https';
import type { CallbackGuard } from './callback-guard';

export interface JsonRequestOptions {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Sent as is (JSON, or a form-encoded token request). */
  body?: string;
  timeoutMs: number;
  guard: CallbackGuard;
  /** Most bytes read from the answer; a longer answer is a failure. Default 1 MiB. */
  maxBytes?: number;
}

export type JsonOutcome = { ok: true; statusCode: number; json: unknown } | { ok: false; statusCode: number | null; error: string };

const DEFAULT_MAX_BYTES = 1024 * 1024;

export function requestJson(rawUrl: string, options: JsonRequestOptions): Promise<JsonOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
      options.guard.checkLiteral(url);
    } catch (error) {
      resolve({ ok: false, statusCode: null, error: (error as Error).message || 'invalid URL' });
      return;
    }
    const transport = url.protocol === 'https:' ? https : http;
    const headers = { accept: 'application/json', ...options.headers, ...(options.body !== undefined ? { 'content-length': Buffer.byteLength(options.body).toString() } : {}) };
    const request = transport.request(url, { method: options.method ?? 'GET', lookup: options.guard.lookup, signal: AbortSignal.timeout(options.timeoutMs), headers });
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > (options.maxBytes ?? DEFAULT_MAX_BYTES)) response.destroy(new Error('answer too large'));
        else chunks.push(chunk);
      });
      response.on('error', (error) => resolve({ ok: false, statusCode, error: error.message }));
      response.on('end', () => {
        if (statusCode < 200 || statusCode > 299) return resolve({ ok: false, statusCode, error: `HTTP ${statusCode}` });
        try {
          resolve({ ok: true, statusCode, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          resolve({ ok: false, statusCode, error: 'the answer is not JSON' });
        }
      });
    });
    request.on('error', (error) => resolve({ ok: false, statusCode: null, error: error.name === 'TimeoutError' || error.name === 'AbortError' ? `no answer within ${options.timeoutMs} ms` : error.message }));
    request.end(options.body);
  });
}
