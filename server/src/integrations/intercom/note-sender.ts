// Sends a planned conversation note with the workspace's current Intercom access token (read at send
// time, so a re-installed app's new token applies to the next retry).
import type { AttemptResult, DeliverySender } from '../../delivery/delivery-worker';
import { USER_AGENT } from '../../delivery/callback-sender';
import type { CallbackGuard } from '../../outbound/callback-guard';
import { postOutbound } from '../../outbound/outbound-post';
import type { DeliveryRecord } from '../../approvals/records';
import type { Store } from '../../approvals/ports';
import type { IntercomSettings } from './intercom-settings';

/** Answers retrying cannot fix: a malformed note, a conversation or admin that does not exist. */
const PERMANENT = new Set([400, 404, 410, 422]);

export function intercomNoteSender(deps: { store: Store; intercom: IntercomSettings; guard: CallbackGuard; timeoutMs: number; apiVersion: string }): DeliverySender {
  return async (delivery: DeliveryRecord): Promise<AttemptResult> => {
    const workspace = await deps.store.workspaces.get(delivery.workspaceId);
    const link = workspace && deps.intercom.link(workspace);
    const token = workspace && deps.intercom.accessToken(workspace);
    if (!link || !token) return giveUp('the workspace is no longer connected to Intercom');
    // The note was planned for one Intercom host; never send this workspace's token anywhere else.
    if (!delivery.target.startsWith(`${deps.intercom.apiBaseUrl(link)}/`)) return giveUp('the workspace now points at a different Intercom API');
    const outcome = await postOutbound(delivery.target, delivery.body, {
      timeoutMs: deps.timeoutMs,
      guard: deps.guard,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': USER_AGENT,
        authorization: `Bearer ${token}`,
        'intercom-version': deps.apiVersion,
      },
    });
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    return { ...outcome, ok, permanent: outcome.statusCode !== null && PERMANENT.has(outcome.statusCode) };
  };
}

function giveUp(error: string): AttemptResult {
  return { ok: false, statusCode: null, error, retryAfterMs: null, permanent: true, durationMs: 0 };
}
