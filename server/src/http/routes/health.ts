// Liveness and readiness for load balancers and orchestrators.
import { Router } from 'express';
import { AppError } from '../../errors';
import type { HttpDeps } from '../deps';

export function healthRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) throw new AppError('unavailable', 'shutting_down', 'This instance is shutting down.');
    try {
      await deps.store.ping();
    } catch {
      throw new AppError('unavailable', 'store_unavailable', `The ${deps.store.kind} store is not answering.`);
    }
    res.json({ status: 'ready', store: deps.store.kind });
  });
  return router;
}
