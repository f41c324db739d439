// The one way a delivery kind sends: a guarded outbound request, its answer classified. A 2xx is
// delivered; which other answers are final depends on the receiver, so each kind says.
import type { CallbackGuard } from '../outbound/callback-guard';
import { postOutbound } from '../outbound/outbound-post';
import type { DeliveryRecord } from '../approvals/records';
import type { AttemptResult } from './delivery-kind';

export const USER_AGENT = 'Countersign-Webhooks/1.0';

export interface HttpDeliveryOptions {
  method?: 'POST' | 'PUT';
  headers: Record<string, string>;
  guard: CallbackGuard;
  timeoutMs: number;
  /** Answers that retrying cannot fix. */
  permanent: (statusCode: number) => boolean;
}

export async function sendHttpDelivery(delivery: DeliveryRecord, options: HttpDeliveryOptions): Promise<AttemptResult> {
  const outcome = await postOutbound(delivery.target, delivery.body, {
    method: options.method,
    timeoutMs: options.timeoutMs,
    guard: options.guard,
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...options.headers },
  });
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  return { ...outcome, ok, permanent: outcome.statusCode !== null && options.permanent(outcome.statusCode) };
}
