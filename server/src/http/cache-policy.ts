// Nothing Countersign answers may be kept by a browser or a shared cache, except static assets: API
// answers hold requests and decisions, the Intercom install page shows a new intake key and callback
// secret once, the playground's answers carry its workspace's requests, and error pages echo what
// was asked. So every answer starts as `Cache-Control: no-store` (one middleware, first in the
// chain, so no route can forget it), and only the static file mounts opt out: files that are the
// same for everyone and hold no secret.
import type { RequestHandler } from 'express';

export const NO_STORE = 'no-store';

export const noStoreByDefault: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', NO_STORE);
  next();
};

/**
 * Put before express.static: it lifts the default, so the static handler sends its own
 * (`public, max-age=0`, revalidated by ETag). A name it does not have falls through to the 404,
 * which the error handler answers no-store again.
 */
export const cacheableAsset: RequestHandler = (_req, res, next) => {
  res.removeHeader('cache-control');
  next();
};
