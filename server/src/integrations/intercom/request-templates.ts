// What an approval request made from an Intercom notification is called: an action name, a summary
// and a requester a teammate can read. Known topics have defaults; a workspace can set its own action
// and summary per topic (`intercom gate --action … --summary …`), with placeholders filled from the
// notification. Templates are a dozen named fields and no logic, so a few lines of replace() do the
// job; a template engine would bring escaping rules and syntax nobody here needs.
import { plainText } from '@countersign/intercom-canvas';
import { IntakeBody, toErrorIssues } from '@countersign/shared';
import { AppError } from '../../approvals/errors';

/** A workspace's own wording for one topic; what is absent comes from the topic's default. */
export interface RequestTemplate {
  action?: string;
  summary?: string;
}

/** What a notification says, read by relay-request. Absent fields are undefined. */
export interface NotificationFacts {
  topic: string;
  conversationId: string;
  ticketId?: string | undefined;
  contactEmail?: string | undefined;
  contactName?: string | undefined;
  assignedAdmin?: string | undefined;
  lastMessage?: string | undefined;
}

export interface RequestWording {
  action: string;
  summary: string;
  agentName: string;
}

const FIN = 'Intercom Fin';
const INTERCOM = 'Intercom';
/** A placeholder's value in a template is one line, and a message is cut to a glance. */
const VALUE_CHARS = 200;
const ACTION_CHARS = 200;
const SUMMARY_CHARS = 2000;

type Placeholder = (facts: NotificationFacts) => string;

export const PLACEHOLDERS: Readonly<Record<string, Placeholder>> = {
  topic: (f) => f.topic,
  conversationId: (f) => f.conversationId,
  ticketId: (f) => f.ticketId ?? f.conversationId,
  contact: (f) => f.contactEmail ?? f.contactName ?? 'the customer',
  contactEmail: (f) => f.contactEmail ?? '(no email)',
  contactName: (f) => f.contactName ?? '(no name)',
  assignedAdmin: (f) => f.assignedAdmin ?? '(unassigned)',
  lastMessage: (f) => f.lastMessage ?? '(no message)',
};

interface TopicDefault {
  action: string;
  summary: string;
  agentName?: string;
}

/** Intercom's webhook topics a workspace may gate (the webhook models page, conversation and ticket topics). */
const TOPIC_DEFAULTS: Readonly<Record<string, TopicDefault>> = {
  'conversation.operator.replied': { action: 'send_fin_reply', summary: "Fin's reply to {contact} on conversation #{conversationId}", agentName: FIN },
  'conversation.admin.replied': { action: 'send_teammate_reply', summary: 'Teammate reply to {contact} on conversation #{conversationId}' },
  'conversation.admin.noted': { action: 'add_internal_note', summary: 'Internal note on conversation #{conversationId} with {contact}' },
  'conversation.user.created': { action: 'handle_new_conversation', summary: 'New conversation #{conversationId} from {contact}' },
  'conversation.user.replied': { action: 'handle_customer_reply', summary: 'Reply from {contact} on conversation #{conversationId}' },
  'conversation.admin.single.created': { action: 'start_conversation', summary: 'Teammate starts conversation #{conversationId} with {contact}' },
  'conversation.admin.assigned': { action: 'assign_conversation', summary: 'Assign conversation #{conversationId} with {contact} to {assignedAdmin}' },
  'conversation.admin.open.assigned': { action: 'assign_open_conversation', summary: 'Assign open conversation #{conversationId} with {contact} to {assignedAdmin}' },
  'conversation.admin.opened': { action: 'reopen_conversation', summary: 'Reopen conversation #{conversationId} with {contact}' },
  'conversation.admin.snoozed': { action: 'snooze_conversation', summary: 'Snooze conversation #{conversationId} with {contact}' },
  'conversation.admin.unsnoozed': { action: 'unsnooze_conversation', summary: 'Unsnooze conversation #{conversationId} with {contact}' },
  'conversation.priority.updated': { action: 'change_conversation_priority', summary: 'Change the priority of conversation #{conversationId} with {contact}' },
  'conversation.contact.attached': { action: 'attach_contact', summary: 'Attach {contact} to conversation #{conversationId}' },
  'conversation.contact.detached': { action: 'detach_contact', summary: 'Detach {contact} from conversation #{conversationId}' },
  'ticket.created': { action: 'create_ticket', summary: 'New ticket #{ticketId} for {contact}' },
  'ticket.state.updated': { action: 'change_ticket_state', summary: 'Change the state of ticket #{ticketId} for {contact}' },
  'ticket.attribute.updated': { action: 'update_ticket', summary: 'Update ticket #{ticketId} for {contact}' },
  'ticket.note.created': { action: 'add_ticket_note', summary: 'Internal note on ticket #{ticketId} for {contact}' },
  'ticket.admin.assigned': { action: 'assign_ticket', summary: 'Assign ticket #{ticketId} for {contact} to {assignedAdmin}' },
  'ticket.team.assigned': { action: 'assign_ticket_to_team', summary: 'Assign ticket #{ticketId} for {contact} to a team' },
  'ticket.admin.replied': { action: 'send_ticket_reply', summary: 'Teammate reply to {contact} on ticket #{ticketId}' },
  'ticket.contact.replied': { action: 'handle_ticket_reply', summary: 'Reply from {contact} on ticket #{ticketId}' },
  'ticket.contact.attached': { action: 'attach_contact_to_ticket', summary: 'Attach {contact} to ticket #{ticketId}' },
  'ticket.contact.detached': { action: 'detach_contact_from_ticket', summary: 'Detach {contact} from ticket #{ticketId}' },
  'ticket.closed': { action: 'close_ticket', summary: 'Close ticket #{ticketId} for {contact}' },
};

/** The wording before the workspace's templates: the topic's default, or one made from the topic's words. */
export function defaultWording(topic: string): TopicDefault & { agentName: string } {
  const known = Object.hasOwn(TOPIC_DEFAULTS, topic) ? TOPIC_DEFAULTS[topic]! : null;
  if (known) return { agentName: INTERCOM, ...known };
  const words = topic.split(/[._]+/).filter(Boolean);
  return {
    action: `handle_intercom_${words.join('_')}`.slice(0, ACTION_CHARS),
    summary: `Intercom event "${words.join(' ')}" on conversation #{conversationId} with {contact}`,
    agentName: INTERCOM,
  };
}

/** The action, summary and requester of the request a notification becomes. */
export function requestWording(facts: NotificationFacts, template: RequestTemplate | undefined): RequestWording {
  const wording = defaultWording(facts.topic);
  return {
    action: plainText(fill(template?.action ?? wording.action, facts), ACTION_CHARS),
    summary: plainText(fill(template?.summary ?? wording.summary, facts), SUMMARY_CHARS),
    agentName: wording.agentName,
  };
}

/**
 * Refuses, at `intercom gate` time, a template with an unknown placeholder or one whose result could
 * not be an approval request (checked on a sample notification, the way intake checks any request).
 */
export function checkTemplate(template: RequestTemplate, topic: string): void {
  for (const [field, value] of Object.entries(template) as Array<[keyof RequestTemplate, string | undefined]>) {
    if (value === undefined) continue;
    const unknown = placeholdersOf(value).filter((name) => !Object.hasOwn(PLACEHOLDERS, name));
    if (unknown.length > 0) {
      throw new AppError('bad_request', 'unknown_placeholder', `The ${field} template uses {${unknown[0]!.slice(0, 40)}}, which is not a placeholder. Known placeholders: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')}.`);
    }
  }
  // Filled but not cut: a template too long for a request is refused here, not shortened later.
  const wording = defaultWording(topic);
  const sample = { ...SAMPLE_FACTS, topic };
  const parsed = IntakeBody.safeParse({ action: fill(template.action ?? wording.action, sample), summary: fill(template.summary ?? wording.summary, sample), details: {} });
  if (!parsed.success) {
    throw new AppError('bad_request', 'invalid_template', 'The template does not make a valid approval request.', { issues: toErrorIssues(parsed.error.issues) });
  }
}

const SAMPLE_FACTS: NotificationFacts = {
  topic: 'conversation.operator.replied',
  conversationId: '215467',
  contactEmail: 'jane@example.com',
  contactName: 'Jane Doe',
  assignedAdmin: 'lee@example.com',
  lastMessage: 'I can refund your order.',
};

function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!);
}

function fill(template: string, facts: NotificationFacts): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => (Object.hasOwn(PLACEHOLDERS, name) ? oneLine(PLACEHOLDERS[name]!(facts)) : whole));
}

/** A value as it sits in a one-line text: whitespace runs (line breaks too) collapsed, capped. */
function oneLine(value: string): string {
  return plainText(value.replace(/\s+/g, ' ').trim(), VALUE_CHARS);
}
