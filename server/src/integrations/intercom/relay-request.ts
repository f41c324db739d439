// Turns an Intercom notification for a gated topic into an approval request with seed 000's relay
// details (conversationId, contactEmail, assignedAdmin, lastMessage), named and summarised so that a
// teammate can read it (request-templates), the message as plain text. The notification is signed,
// but its shape is Intercom's and may change: every field is read for what it is, never assumed.
import { IntakeBody, toErrorIssues, type IntakeRequest } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import { templateOf, type IntercomLink } from './intercom-settings';
import { messageText } from './message-text';
import { requestWording, type NotificationFacts } from './request-templates';

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
  return idText(field(conversation(notification), 'id')) ?? null;
}

/** The approval request for a gated notification; one that cannot make a valid request is unprocessable. */
export function relayRequest(notification: IntercomNotification, link: IntercomLink): IntakeRequest {
  const facts = notificationFacts(notification);
  const wording = requestWording(facts, templateOf(link, notification.topic));
  const parsed = IntakeBody.safeParse({
    ...wording,
    riskLevel: 'medium',
    // Seed 000's relay details, keys unchanged; the message is plain text instead of Intercom's HTML.
    details: withoutUndefined({
      conversationId: facts.conversationId,
      contactEmail: facts.contactEmail,
      assignedAdmin: facts.assignedAdmin,
      lastMessage: facts.lastMessage,
    }),
    ...(link.callbackUrl ? { webhookUrl: link.callbackUrl } : {}),
    context: { platform: 'intercom', conversationId: facts.conversationId },
    metadata: { intercomNotificationId: notification.id, topic: notification.topic },
  });
  if (!parsed.success) {
    throw new AppError('unprocessable', 'invalid_notification', 'The notification cannot become an approval request.', { issues: toErrorIssues(parsed.error.issues) });
  }
  return parsed.data;
}

/** What the notification's item (a conversation or a ticket) says, each field read for what it is. */
export function notificationFacts(notification: IntercomNotification): NotificationFacts {
  const item = conversation(notification);
  const contact = list(field(field(item, 'contacts'), 'contacts'))[0];
  const assignee = field(item, 'assignee');
  return {
    topic: notification.topic,
    conversationId: conversationIdOf(notification) ?? 'unknown',
    ticketId: idText(field(item, 'ticket_id')),
    contactEmail: text(field(contact, 'email')),
    contactName: text(field(contact, 'name')),
    assignedAdmin: text(field(assignee, 'email')),
    lastMessage: lastMessage(item),
  };
}

/**
 * The newest part with a message (assignment and close parts have none), else the conversation's
 * first message (a new conversation has no parts yet), as plain text.
 */
function lastMessage(item: unknown): string | undefined {
  const parts = [...list(field(field(item, 'conversation_parts'), 'conversation_parts')), ...list(field(field(item, 'ticket_parts'), 'ticket_parts'))];
  const body = parts.map((part) => text(field(part, 'body'))).findLast((value) => value !== undefined && value.trim() !== '') ?? text(field(field(item, 'source'), 'body'));
  const message = body === undefined ? '' : messageText(body, MAX_MESSAGE_CHARS);
  return message === '' ? undefined : message;
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

/** Intercom ids arrive as strings or numbers. */
function idText(value: unknown): string | undefined {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function withoutUndefined(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
