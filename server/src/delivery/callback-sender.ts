// Sends a decision callback, signed the Standard Webhooks way with the workspace's current secret(s).
import type { CallbackGuard } from '../outbound/callback-guard';
import { postOutbound } from '../outbound/outbound-post';
import type { DeliveryRecord } from '../approvals/records';
import type { Store } from '../approvals/ports';
import type { Workspaces } from '../workspaces/workspaces';
import { signatureHeader } from './signing';
import type { AttemptResult, DeliverySender } from './delivery-worker';

export const USER_AGENT = 'Countersign-Webhooks/1.0';

export function callbackSender(deps: { store: Store; workspaces: Workspaces; guard: CallbackGuard; timeoutMs: number }): DeliverySender {
  return async (delivery: DeliveryRecord): Promise<AttemptResult> => {
    const workspace = await deps.store.workspaces.get(delivery.workspaceId);
    if (!workspace) return { ok: false, statusCode: null, error: 'workspace no longer exists', retryAfterMs: null, permanent: true, durationMs: 0 };
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await postOutbound(delivery.target, delivery.body, {
      timeoutMs: deps.timeoutMs,
      guard: deps.guard,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(deps.workspaces.callbackSecrets(workspace), delivery.id, timestamp, delivery.body),
      },
    });
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    // 410 Gone is the receiver saying "stop": Standard Webhooks treats it as final.
    return { ...outcome, ok, permanent: outcome.statusCode === 410 };
  };
}
