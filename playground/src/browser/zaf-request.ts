// `client.request(options)` the way Zendesk's proxy answers it, with the playground server as the
// proxy: the options go to POST /playground/api/zaf-request (which substitutes the secure
// setting server-side and calls its own /api path), and the outcome comes back jQuery-style.
// The SDK settles the app's promise with responseArgs[0] (`resolve.apply(this, responseArgs)`),
// so only the first argument matters to the app; the rest mirror jQuery's done/fail arguments.

/** What an app passes to client.request (the fields the proxy and this module read; the rest travel as they are). */
export interface ZafRequestOptions {
  url: string;
  type?: string;
  contentType?: string;
  data?: string;
  headers?: Record<string, string>;
  secure?: boolean;
  dataType?: string;
  httpCompleteResponse?: boolean;
  [option: string]: unknown;
}

/** The proxy's answer: Countersign's response to the proxied call (status 0 when it could not be made). */
interface Upstream {
  status: number;
  statusText: string;
  responseText: string;
  headers: Record<string, string>;
}

/** The jqXHR-like object: what `httpCompleteResponse` resolves with and what every failure rejects with. */
export interface XhrLike extends Upstream {
  responseJSON: unknown;
}

export type ZafRequestOutcome =
  | { outcome: 'done'; responseArgs: [data: unknown, textStatus: 'success', xhr: XhrLike] }
  | { outcome: 'fail'; responseArgs: [xhr: XhrLike, textStatus: 'error', errorThrown: string] };

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function looksJson(contentType: string | undefined, options: Partial<ZafRequestOptions>): boolean {
  return /\bjson\b/i.test(contentType ?? '') || options.dataType === 'json';
}

function xhrLike({ status, statusText, responseText, headers }: Upstream, options: Partial<ZafRequestOptions>): XhrLike {
  const responseJSON = looksJson(headers['content-type'], options) ? parseJson(responseText) : undefined;
  return { status, statusText, responseText, responseJSON, headers };
}

const isSuccess = (status: number) => (status >= 200 && status < 300) || status === 304;

/** What the proxy relayed, read field by field: a proxy answer is JSON from the playground server. */
function upstreamOf(text: string): Upstream {
  const answer = (parseJson(text) ?? {}) as Partial<Record<keyof Upstream, unknown>>;
  return {
    status: Number(answer.status) || 0,
    statusText: (answer.statusText as string) || (answer.status ? '' : 'error'),
    responseText: typeof answer.responseText === 'string' ? answer.responseText : '',
    headers: (answer.headers as Record<string, string> | undefined) ?? {},
  };
}

/**
 * `options`: exactly what the app passed to client.request (the proxy validates it); `send` POSTs
 * {options} to the playground proxy.
 */
export async function performZafRequest(options: unknown, send: (options: unknown) => Promise<Response>): Promise<ZafRequestOutcome> {
  let upstream: Upstream;
  try {
    const response = await send(options);
    const text = await response.text();
    if (response.status === 200) {
      upstream = upstreamOf(text);
    } else {
      // The proxy itself refused the options (400 …): the app sees a failed request with the proxy's error.
      upstream = { status: response.status, statusText: response.statusText || 'error', responseText: text, headers: { 'content-type': response.headers.get('content-type') ?? '' } };
    }
  } catch {
    upstream = { status: 0, statusText: 'error', responseText: '', headers: {} };
  }

  const asked: Partial<ZafRequestOptions> = options !== null && typeof options === 'object' ? options : {};
  const xhr = xhrLike(upstream, asked);
  if (!isSuccess(xhr.status)) return { outcome: 'fail', responseArgs: [xhr, 'error', xhr.statusText] };
  const data = asked.httpCompleteResponse ? xhr : xhr.responseJSON !== undefined ? xhr.responseJSON : xhr.responseText;
  return { outcome: 'done', responseArgs: [data, 'success', xhr] };
}
