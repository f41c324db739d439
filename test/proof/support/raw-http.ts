// Raw HTTP for the evidence suites: exact bytes, repeated headers, no Content-Type at all, chunked
// bodies — what fetch would normalise away. Each request uses its own connection.
import http from 'node:http';
import { z } from 'zod';

export interface RawRequest {
  method: string;
  /** Path and query, sent as-is (already percent-encoded where wanted). */
  path: string;
  /** A header given as an array is sent once per value. */
  headers?: Record<string, string | string[]>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: unknown;
}

export type RawOutcome = { ok: true; response: RawResponse } | { ok: false; error: string };

export function send(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawOutcome> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: RawOutcome) => {
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    };
    const headers: Record<string, string | string[]> = { ...request.headers };
    if (request.body && !request.chunked) headers['content-length'] = String(request.body.length);
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent: false, setHost: true });
    } catch (error) {
      // The client refused to send it (e.g. a header value Node considers invalid): not the server's doing.
      return done({ ok: false, error: `client refused: ${(error as Error).message}` });
    }
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, error: error.code ?? error.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, error: error.code ?? error.message }));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        done({ ok: true, response: { status: res.statusCode ?? 0, headers: res.headers, body, text, json } });
      });
    });
    if (request.body && request.body.length > 0) {
      if (request.chunked) {
        // Two chunks, so the server sees a body that arrives in pieces.
        const half = Math.floor(request.body.length / 2);
        req.write(request.body.subarray(0, half));
        req.end(request.body.subarray(half));
      } else req.end(request.body);
    } else req.end();
  });
}

/** The public error shape: {"error":{"code","message","issues"?}}. */
export const ErrorShape = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string().min(1),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }).loose()).optional(),
  }).loose(),
}).loose();

export function isJsonResponse(response: RawResponse): boolean {
  return /^application\/([a-z0-9.+-]+\+)?json\b/i.test(String(response.headers['content-type'] ?? ''));
}
