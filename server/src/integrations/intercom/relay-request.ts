// Turns an Intercom notification for a gated topic into the approval request that seed 000's relay
// handler would have posted: the same action, summary and details. The notification is signed, but
// its shape is Intercom's and may change: every field is read for what it is, never assumed.
import { IntakeBody, toErrorIssues, type IntakeRequest } from '@countersign/shared';
import { AppError } from '../../errors';
import type { IntercomLink } from './intercom-settings';

const MAX_MESSAGE_CHARS = 4000;

export interface IntercomNotification {
  id: string;
  topic: string;
  app_id?: unknown;
  workspace_id?: unknown;
  data?: unknown;
}

/** The Intercom workspace a notification belongs to. */
export function notificationWorkspace(notification: IntercomNotification): string | null {
  return text(notification.app_id) ?? text(notification.workspace_id) ?? null;
}

export function conversationIdOf(notification: IntercomNotification): string | null {
  const id = field(conversation(notification), 'id');
  return (typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)) ? String(id) : null;
}

/** The approval request for a gated notification; one that cannot make a valid request is unprocessable. */
export function relayRequest(notification: IntercomNotification, link: IntercomLink): IntakeRequest {
  const convo = conversation(notification);
  const conversationId = conversationIdOf(notification) ?? 'unknown';
  const lastPart = list(field(field(convo, 'conversation_parts'), 'conversation_parts')).at(-1);
  const parsed = IntakeBody.safeParse({
    action: 'intercom_action',
    summary: `Fin wants to ${notification.topic} on conversation ${conversationId}`,
    riskLevel: 'medium',
    details: withoutUndefined({
      conversationId,
      contactEmail: text(field(list(field(field(convo, 'contacts'), 'contacts'))[0], 'email')),
      assignedAdmin: text(field(field(convo, 'assignee'), 'email')),
      lastMessage: text(field(lastPart, 'body'))?.slice(0, MAX_MESSAGE_CHARS),
    }),
    ...(link.callbackUrl ? { webhookUrl: link.callbackUrl } : {}),
    context: { platform: 'intercom', conversationId },
    metadata: { intercomNotificationId: notification.id, topic: notification.topic },
  });
  if (!parsed.success) {
    throw new AppError('unprocessable', 'invalid_notification', 'The notification cannot become an approval request.', { issues: toErrorIssues(parsed.error.issues) });
  }
  return parsed.data;
}

function conversation(notification: IntercomNotification): unknown {
  return field(notification.data, 'item');
}

/** A property of a plain object; undefined for anything else (strings, arrays, null). */
function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function withoutUndefined(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
