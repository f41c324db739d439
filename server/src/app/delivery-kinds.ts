// Every kind of outbound delivery, registered in this one place. A new kind (a Slack message, a
// reminder) is a new file implementing DeliveryKind and one line here.
import type { Config } from '../config/config';
import { callbackDelivery } from '../delivery/callback-delivery';
import { DeliveryKinds } from '../delivery/delivery-kind';
import { intercomConversationNote } from '../integrations/intercom/conversation-note';
import type { IntercomSettings } from '../integrations/intercom/intercom-settings';
import { zendeskTicketNote } from '../integrations/zendesk/ticket-note';
import type { ZendeskSettings } from '../integrations/zendesk/zendesk-settings';
import type { CallbackGuard } from '../outbound/callback-guard';
import type { Workspaces } from '../workspaces/workspaces';

export interface DeliveryKindDeps {
  config: Config;
  workspaces: Workspaces;
  zendesk: ZendeskSettings;
  intercom: IntercomSettings;
  guard: CallbackGuard;
}

export function deliveryKinds({ config, workspaces, zendesk, intercom, guard }: DeliveryKindDeps): DeliveryKinds {
  const timeoutMs = config.deliveryTimeoutMs;
  return new DeliveryKinds([
    callbackDelivery({ workspaces, guard, timeoutMs }),
    zendeskTicketNote({ zendesk, guard, timeoutMs }),
    intercomConversationNote({ intercom, guard, timeoutMs, apiVersion: config.intercom.apiVersion }),
  ]);
}
