// Liveness and readiness for load balancers and orchestrators.
import { Router } from 'express';
import type { HealthView, ReadinessView } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { HttpDeps } from '../deps';

export function healthRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' } satisfies HealthView);
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isShuttingDown()) throw new AppError('unavailable', 'shutting_down', 'This instance is shutting down.');
    try {
      await deps.store.ping();
    } catch {
      throw new AppError('unavailable', 'store_unavailable', `The ${deps.store.kind} store is not answering.`);
    }
    // Writes failed lately: ready again only once a write succeeds, tried here so that readiness
    // recovers by itself, without waiting for traffic that a not-ready instance would not get.
    const failure = deps.writeHealth.failure;
    if (failure && !(await deps.writeHealth.probe(deps.store))) {
      throw new AppError('unavailable', 'store_write_failed', `Writes to the ${deps.store.kind} store are failing (${failure.code}, since ${new Date(failure.since).toISOString()}).`, {
        headers: { 'retry-after': '5' },
      });
    }
    res.json({ status: 'ready', store: deps.store.kind } satisfies ReadinessView);
  });
  return router;
}
