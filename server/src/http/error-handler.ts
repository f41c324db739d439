// The one place errors become HTTP: AppError kinds map to statuses; body-parser's own 4xx errors get
// the same shape; anything unexpected is logged and answered as a generic 500 without internals.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '@countersign/shared';
import { AppError, type ErrorKind } from '../approvals/errors';
import { approvalView } from './approval-view';
import { NO_STORE } from './cache-policy';
import { isStoreUnavailable } from '../store/store-unavailable';
import { isWriteFailure } from '../store/write-failure';
import { locals } from './locals';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** The HTTP status of an error kind, for routes that answer errors as pages rather than JSON. */
export function httpStatus(kind: ErrorKind): number {
  return STATUS[kind];
}

/** Errors raised by express's body reader carry a `type`; these are the caller's doing. */
const BODY_READER_ERRORS: Record<string, () => AppError> = {
  'entity.too.large': () => new AppError('payload_too_large', 'payload_too_large', 'The body is larger than this server accepts.'),
  'request.aborted': () => new AppError('bad_request', 'request_aborted', 'The request body ended early.'),
  'request.size.invalid': () => new AppError('bad_request', 'invalid_content_length', 'The body length does not match Content-Length.'),
  'encoding.unsupported': () => new AppError('unsupported_media_type', 'unsupported_content_encoding', 'Unsupported Content-Encoding.'),
  'charset.unsupported': () => new AppError('unsupported_media_type', 'unsupported_charset', 'Unsupported charset.'),
};

/** The store could not write (disk full, I/O error): nothing was committed; retry once it can. */
const WRITE_FAILURE_RETRY_AFTER_S = '5';

function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  // Busy, unreachable or failing over (store-unavailable.ts): the caller should retry shortly.
  if (isStoreUnavailable(error)) {
    return new AppError('unavailable', 'store_unavailable', 'The store is busy, unreachable or changing primary; retry shortly, with the same Idempotency-Key.', { headers: { 'retry-after': '1' } });
  }
  if (isWriteFailure(error)) {
    return new AppError('unavailable', 'store_write_failed', 'The store could not write (disk full or an I/O error), so nothing was saved; retry shortly, with the same Idempotency-Key.', {
      headers: { 'retry-after': WRITE_FAILURE_RETRY_AFTER_S },
    });
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && BODY_READER_ERRORS[type]) return BODY_READER_ERRORS[type]();
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('bad_request', 'bad_request', 'The request could not be read.');
  return null;
}

export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const { requestId, log } = locals(res);
  const appError = asAppError(error);
  if (res.headersSent) {
    log.error({ err: error, requestId }, 'error after the response started');
    res.destroy();
    return;
  }
  // Again here: an error can follow a static mount that lifted the default (cache-policy.ts).
  res.setHeader('cache-control', NO_STORE);
  if (!appError) {
    log.error({ err: error, requestId }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side; the request id identifies it in our logs.', issues: [], requestId } } satisfies ErrorBody);
    return;
  }
  for (const [name, value] of Object.entries(appError.details.headers ?? {})) res.setHeader(name, value);
  const body: ErrorBody & { approval?: unknown } = {
    error: { code: appError.code, message: appError.message, issues: appError.details.issues ?? [], requestId },
  };
  if (appError.details.approval) body.approval = approvalView(appError.details.approval);
  res.status(STATUS[appError.kind]).json(body);
};

export const notFound: RequestHandler = () => {
  throw new AppError('not_found', 'route_not_found', 'There is no such endpoint.');
};

export function methodNotAllowed(allowed: string[]): RequestHandler {
  return () => {
    throw new AppError('method_not_allowed', 'method_not_allowed', `Use ${allowed.join(' or ')} on this endpoint.`, { headers: { allow: allowed.join(', ') } });
  };
}
