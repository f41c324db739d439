// Turns an Intercom notification for a gated topic into the approval request that seed 000's relay
// handler would have posted: the same action, summary and details.
import { IntakeBody, type IntakeRequest } from '@countersign/shared';
import type { IntercomLink } from './intercom-settings';

const MAX_MESSAGE_CHARS = 4000;

export interface IntercomNotification {
  id: string;
  topic: string;
  app_id?: string;
  workspace_id?: string;
  data?: { item?: ConversationItem };
}

interface ConversationItem {
  id?: string | number;
  contacts?: { contacts?: Array<{ email?: string | null }> };
  assignee?: { email?: string | null } | null;
  conversation_parts?: { conversation_parts?: Array<{ body?: string | null }> };
}

/** The Intercom workspace a notification belongs to. */
export function notificationWorkspace(notification: IntercomNotification): string | null {
  return notification.app_id ?? notification.workspace_id ?? null;
}

export function conversationIdOf(notification: IntercomNotification): string | null {
  const id = notification.data?.item?.id;
  return id === undefined || id === null || String(id) === '' ? null : String(id);
}

export function relayRequest(notification: IntercomNotification, link: IntercomLink): IntakeRequest {
  const convo = notification.data?.item ?? {};
  const conversationId = conversationIdOf(notification) ?? 'unknown';
  const lastMessage = convo.conversation_parts?.conversation_parts?.slice(-1)[0]?.body ?? undefined;
  return IntakeBody.parse({
    action: 'intercom_action',
    summary: `Fin wants to ${notification.topic} on conversation ${conversationId}`,
    riskLevel: 'medium',
    details: withoutUndefined({
      conversationId,
      contactEmail: convo.contacts?.contacts?.[0]?.email ?? undefined,
      assignedAdmin: convo.assignee?.email ?? undefined,
      lastMessage: lastMessage?.slice(0, MAX_MESSAGE_CHARS),
    }),
    ...(link.callbackUrl ? { webhookUrl: link.callbackUrl } : {}),
    context: { platform: 'intercom', conversationId },
    metadata: { intercomNotificationId: notification.id, topic: notification.topic },
  });
}

function withoutUndefined(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
