// A request id for every request (the caller's X-Request-Id when sane), echoed back and carried by
// every log line; one access-log line per request, with no credentials in it.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { locals } from './locals';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    res.setHeader('x-request-id', requestId);
    // The server's logger, not a per-request child: a held request (sync wait) should not carry one
    // for minutes. Lines about a request name its requestId.
    Object.assign(res.locals, { requestId, log });
    res.on('finish', () => {
      log.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          key: locals(res).keyPrefix,
          // The address rate limits count by (honours COUNTERSIGN_TRUST_PROXY).
          ip: req.ip,
        },
        'request',
      );
    });
    next();
  };
}
