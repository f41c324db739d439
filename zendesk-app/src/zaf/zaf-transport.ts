// Carries CountersignClient's calls through ZAF's client.request, so Zendesk's proxy adds the review
// key from the app's secure setting: the browser only ever holds the placeholder. The agent's reviewer
// session, once Zendesk has vouched for them, goes with every request as X-Countersign-Reviewer.
import { REVIEWER_SESSION_HEADER, type ApiResponse, type Transport } from '@countersign/shared';
import type { ZafClient, ZafRequestOptions } from './zaf-client';

export const REVIEW_KEY_HEADER = 'Bearer {{setting.review_key}}';
const TIMEOUT_MS = 30_000;

/** What Zendesk's proxy hands back (jQuery-like): resolved on 2xx, rejected otherwise. */
interface ProxyResponse {
  status: number;
  statusText?: string;
  responseText?: string;
  responseJSON?: unknown;
  headers?: Record<string, string> | string;
}

/** `reviewerSession`: the session to send now, read at each request (it changes as the agent signs in). */
export function zafTransport(client: ZafClient, baseUrl: string, reviewerSession: () => string | null = () => null): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const session = reviewerSession();
    const options: ZafRequestOptions = {
      url: base + request.path,
      type: request.method,
      contentType: 'application/json',
      headers: { ...request.headers, ...(session ? { [REVIEWER_SESSION_HEADER]: session } : {}), Authorization: REVIEW_KEY_HEADER },
      secure: true,
      cors: false,
      httpCompleteResponse: true,
      timeout: TIMEOUT_MS,
    };
    if (request.body !== undefined) options.data = request.body;
    try {
      return fromResolved(await client.request(options));
    } catch (failure) {
      return fromRejected(failure);
    }
  };
}

function fromResolved(value: unknown): ApiResponse {
  // Without httpCompleteResponse (or from a simpler host) the proxy resolves with the parsed body alone.
  if (!isCompleteResponse(value)) return { status: 200, header: () => null, body: parseIfText(value) };
  return toApiResponse(value);
}

function fromRejected(failure: unknown): ApiResponse {
  // Anything that is not an HTTP answer (a thrown Error, a timeout) means no answer at all: status 0.
  if (!hasStatus(failure)) return { status: 0, header: () => null, body: null };
  return toApiResponse(failure);
}

function toApiResponse(response: ProxyResponse): ApiResponse {
  return { status: response.status, header: headerReader(response.headers), body: responseBody(response) };
}

function hasStatus(value: unknown): value is ProxyResponse {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
}

/** A resolved value could be a bare body, so it must look like a whole response, not just carry a status. */
function isCompleteResponse(value: unknown): value is ProxyResponse {
  return hasStatus(value) && ['responseText', 'responseJSON', 'statusText', 'headers'].some((field) => field in value);
}

function responseBody(response: ProxyResponse): unknown {
  if (response.responseJSON !== undefined) return response.responseJSON;
  const text = response.responseText;
  return text ? parseIfText(text) : null;
}

function parseIfText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function headerReader(headers: ProxyResponse['headers']): ApiResponse['header'] {
  const table = new Map<string, string>();
  if (typeof headers === 'string') {
    // The raw getAllResponseHeaders() form: "name: value" lines.
    for (const line of headers.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) table.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) table.set(name.toLowerCase(), String(value));
  }
  return (name) => table.get(name.toLowerCase()) ?? null;
}
