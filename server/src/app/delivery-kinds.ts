// Every kind of outbound delivery, registered in this one place. A new kind (a Slack message, a
// reminder) is a new file implementing DeliveryKind and one line here.
import type { Logger } from 'pino';
import type { OutboxStore, PostedMessageStore } from '../approvals/ports';
import type { Config } from '../config/config';
import { callbackDelivery } from '../delivery/callback-delivery';
import { DeliveryKinds } from '../delivery/delivery-kind';
import { intercomConversationNotes } from '../integrations/intercom/conversation-note';
import type { IntercomSettings } from '../integrations/intercom/intercom-settings';
import { slackMessageDelivery } from '../integrations/slack/slack-delivery';
import type { SlackSettings } from '../integrations/slack/slack-settings';
import { zendeskTicketNotes } from '../integrations/zendesk/ticket-note';
import type { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import type { CallbackGuard } from '../outbound/callback-guard';
import type { Workspaces } from '../workspaces/workspaces';

export interface DeliveryKindDeps {
  config: Config;
  workspaces: Workspaces;
  zendesk: ZendeskSettings;
  intercom: IntercomSettings;
  slack: SlackSettings;
  store: { postedMessages: PostedMessageStore; outbox: Pick<OutboxStore, 'list'> };
  guard: CallbackGuard;
  /** A request's signed page, for messages that link to it; null while the public address is unknown. */
  approvalPage: (workspaceId: string, approvalId: string) => string | null;
  log: Logger;
}

export function deliveryKinds({ config, workspaces, zendesk, intercom, slack, store, guard, approvalPage, log }: DeliveryKindDeps): DeliveryKinds {
  const timeoutMs = config.deliveryTimeoutMs;
  return new DeliveryKinds([
    callbackDelivery({ workspaces, guard, timeoutMs }),
    ...zendeskTicketNotes({ zendesk, guard, timeoutMs, outbox: store.outbox }),
    ...intercomConversationNotes({ intercom, guard, timeoutMs, apiVersion: config.intercom.apiVersion, outbox: store.outbox }),
    slackMessageDelivery({ slack, postedMessages: store.postedMessages, outbox: store.outbox, links: { zendesk, intercom, approvalPage }, timeoutMs, log: log.child({ component: 'slack' }) }),
  ]);
}
