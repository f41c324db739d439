// Works through recorded Intercom notifications: gated topics become approval requests, a closed
// conversation cancels its pending ones, anything else is acknowledged and ignored. Every step is
// idempotent (the request is created under the notification's id as its idempotency key; cancelling
// a settled request is skipped), so an event resumed after a crash, or processed twice by two
// instances, has the effect of processing it once.
import type { Logger } from 'pino';
import type { ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import type { InboundEventRecord } from '../../approvals/records';
import type { Store } from '../../approvals/ports';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { IntercomSettings } from './intercom-settings';
import { conversationIdOf, notificationWorkspace, relayRequest, type IntercomNotification } from './relay-request';
import { INTERCOM_SOURCE } from './webhook-routes';

export const CLOSED_TOPIC = 'conversation.admin.closed';
const CLOSED_REASON = 'The conversation was closed in Intercom.';
/** Left alone for this long after arrival, the in-process handler is presumed gone (crash) and the sweep takes over. */
const RESUME_AFTER_MS = 30_000;
const MAX_ATTEMPTS = 5;
const RESUME_BATCH = 50;

export type Outcome = 'created' | 'cancelled' | 'ignored' | 'refused';

/** A notification that can never become a valid request: retrying would fail the same way. */
function isPermanent(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof AppError && (error.kind === 'bad_request' || error.kind === 'unprocessable'));
}

export class IntercomEventProcessor {
  constructor(
    private readonly deps: { store: Store; service: ApprovalService; intercom: IntercomSettings; log: Logger; clock?: () => number },
  ) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Processes one recorded event; failures are counted and left for the sweep. */
  async process(event: Pick<InboundEventRecord, 'eventId' | 'payload'>): Promise<Outcome | null> {
    const log = this.deps.log.child({ notificationId: event.eventId });
    try {
      const outcome = await this.apply(JSON.parse(event.payload) as IntercomNotification);
      await this.deps.store.platformEvents.markProcessed(INTERCOM_SOURCE, event.eventId, this.now());
      log.info({ outcome }, 'intercom notification processed');
      return outcome;
    } catch (error) {
      if (isPermanent(error)) {
        log.warn({ err: error }, 'intercom notification refused; it will not be retried');
        await this.deps.store.platformEvents.markProcessed(INTERCOM_SOURCE, event.eventId, this.now()).catch(() => undefined);
        return 'refused';
      }
      log.warn({ err: error }, 'intercom notification failed; it will be retried');
      await this.deps.store.platformEvents.noteFailure(INTERCOM_SOURCE, event.eventId).catch(() => undefined);
      return null;
    }
  }

  /** Picks up notifications acknowledged but never processed (the process stopped in between). */
  async resume(): Promise<number> {
    const stale = await this.deps.store.platformEvents.listUnprocessed(INTERCOM_SOURCE, this.now() - RESUME_AFTER_MS, MAX_ATTEMPTS, RESUME_BATCH);
    for (const event of stale) await this.process(event);
    return stale.length;
  }

  private async apply(notification: IntercomNotification): Promise<Outcome> {
    const intercomId = notificationWorkspace(notification);
    const workspace = intercomId ? await this.deps.intercom.workspaceFor(intercomId) : null;
    const link = workspace && this.deps.intercom.link(workspace);
    if (!workspace || !link) return 'ignored';
    if (notification.topic === CLOSED_TOPIC) return this.cancelConversation(workspace, conversationIdOf(notification));
    if (!link.gatedTopics.includes(notification.topic)) return 'ignored';
    await this.deps.service.create({ workspace, keyId: 'intercom-webhook' }, relayRequest(notification, link), `intercom:${notification.id}`);
    return 'created';
  }

  private async cancelConversation(workspace: WorkspaceRecord, conversationId: string | null): Promise<Outcome> {
    if (!conversationId) return 'ignored';
    const { items } = await this.deps.service.list(workspace.id, { status: 'pending', conversationId }, 100);
    for (const approval of items) {
      await this.deps.service.cancel({ workspaceId: workspace.id }, approval.id, CLOSED_REASON).catch((error: unknown) => {
        // Decided or expired in the meantime: nothing left to cancel.
        if (!(error instanceof AppError && error.kind === 'conflict')) throw error;
      });
    }
    return items.length > 0 ? 'cancelled' : 'ignored';
  }
}
