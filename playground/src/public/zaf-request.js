// `client.request(options)` the way Zendesk's proxy answers it, with the playground server as the
// proxy: the options go to POST /playground/api/zaf-request (which substitutes the secure
// setting server-side and calls its own /api path), and the outcome comes back jQuery-style.
// The SDK settles the app's promise with responseArgs[0] (`resolve.apply(this, responseArgs)`),
// so only the first argument matters to the app; the rest mirror jQuery's done/fail arguments.

function parseJson(text) {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function looksJson(contentType, options) {
  return /\bjson\b/i.test(contentType ?? '') || options?.dataType === 'json';
}

/** The jqXHR-like object: what `httpCompleteResponse` resolves with and what every failure rejects with. */
function xhrLike({ status, statusText, responseText, headers }, options) {
  const responseJSON = looksJson(headers?.['content-type'], options) ? parseJson(responseText) : undefined;
  return { status, statusText, responseText, responseJSON, headers: headers ?? {} };
}

const isSuccess = (status) => (status >= 200 && status < 300) || status === 304;

/**
 * @param {object} options exactly what the app passed to client.request
 * @param {(options: object) => Promise<Response>} send POSTs {options} to the playground proxy
 * @returns {Promise<{ outcome: 'done' | 'fail', responseArgs: unknown[] }>}
 */
export async function performZafRequest(options, send) {
  let upstream;
  try {
    const response = await send(options);
    const text = await response.text();
    if (response.status === 200) {
      const answer = parseJson(text) ?? {};
      upstream = {
        status: Number(answer.status) || 0,
        statusText: answer.statusText || (answer.status ? '' : 'error'),
        responseText: typeof answer.responseText === 'string' ? answer.responseText : '',
        headers: answer.headers ?? {},
      };
    } else {
      // The proxy itself refused the options (400 …): the app sees a failed request with the proxy's error.
      upstream = { status: response.status, statusText: response.statusText || 'error', responseText: text, headers: { 'content-type': response.headers.get('content-type') ?? '' } };
    }
  } catch {
    upstream = { status: 0, statusText: 'error', responseText: '', headers: {} };
  }

  const xhr = xhrLike(upstream, options);
  if (!isSuccess(xhr.status)) return { outcome: 'fail', responseArgs: [xhr, 'error', xhr.statusText] };
  const data = options?.httpCompleteResponse ? xhr : xhr.responseJSON !== undefined ? xhr.responseJSON : xhr.responseText;
  return { outcome: 'done', responseArgs: [data, 'success', xhr] };
}
