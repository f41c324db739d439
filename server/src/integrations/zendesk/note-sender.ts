// Sends a planned ticket note with the workspace's current Zendesk credentials (read at send time, so
// a fixed token applies to the next retry). API token auth is Basic `{email}/token:{token}`.
import type { AttemptResult, DeliverySender } from '../../delivery/delivery-worker';
import { USER_AGENT } from '../../delivery/callback-sender';
import type { CallbackGuard } from '../../outbound/callback-guard';
import { postOutbound } from '../../outbound/outbound-post';
import type { DeliveryRecord } from '../../approvals/records';
import type { Store } from '../../approvals/ports';
import type { ZendeskSettings } from './zendesk-settings';

/** Answers that retrying cannot fix: a bad request, a deleted ticket, a ticket at its comment limit. */
const PERMANENT = new Set([400, 404, 410, 422]);

export function zendeskNoteSender(deps: { store: Store; zendesk: ZendeskSettings; guard: CallbackGuard; timeoutMs: number }): DeliverySender {
  return async (delivery: DeliveryRecord): Promise<AttemptResult> => {
    const workspace = await deps.store.workspaces.get(delivery.workspaceId);
    const credentials = workspace && deps.zendesk.credentials(workspace);
    if (!credentials) return giveUp('the workspace no longer has Zendesk credentials');
    // The note was planned for one account; never send this account's token to another host.
    if (!delivery.target.startsWith(`${credentials.baseUrl}/`)) return giveUp('the workspace now points at a different Zendesk account');
    const outcome = await postOutbound(delivery.target, delivery.body, {
      method: 'PUT',
      timeoutMs: deps.timeoutMs,
      guard: deps.guard,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        authorization: `Basic ${Buffer.from(`${credentials.email}/token:${credentials.apiToken}`).toString('base64')}`,
      },
    });
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    return { ...outcome, ok, permanent: outcome.statusCode !== null && PERMANENT.has(outcome.statusCode) };
  };
}

function giveUp(error: string): AttemptResult {
  return { ok: false, statusCode: null, error, retryAfterMs: null, permanent: true, durationMs: 0 };
}
