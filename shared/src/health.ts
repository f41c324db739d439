// What GET /healthz and GET /readyz answer when all is well (otherwise the usual error body, 503).
import { z } from 'zod';

export const HealthView = z.object({ status: z.literal('ok') });
export type HealthView = z.infer<typeof HealthView>;

export const ReadinessView = z.object({
  status: z.literal('ready'),
  /** Which store this instance runs on: "sqlite" or "mongo". */
  store: z.string(),
});
export type ReadinessView = z.infer<typeof ReadinessView>;
