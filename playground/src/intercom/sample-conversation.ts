// The playground's sample Intercom conversation, its contact and the teammate viewing it, plus the
// shapes Intercom sends them in (REST conversation and contact models, as in canvas requests and
// webhook notifications). Part bodies are HTML as Intercom writes them; the page shows them as the
// plain text a request's lastMessage gets.
import { messageText } from '@countersign/server/integrations/intercom';

export const SAMPLE_CONVERSATION_ID = '215467';

export const SAMPLE_CONTACT = {
  id: '6657a9c1b3f1e2a0d4c5b6a7',
  name: 'Jordan Rivera',
  email: 'jordan.rivera@example.com',
};

/** The teammate the page plays: the admin in every canvas request, and the default note author. */
export const SAMPLE_ADMIN = {
  type: 'admin',
  id: '991267696',
  name: 'Riley Teammate',
  email: 'riley@example.com',
};

const FIN = { type: 'bot' as const, id: '8456123', name: 'Fin' };

export interface SamplePart {
  id: string;
  part_type: 'comment' | 'note' | 'assignment' | 'close';
  author: { type: 'user' | 'bot' | 'admin'; id: string; name: string; email?: string };
  /** HTML, as the Intercom models carry it. */
  body: string;
  created_at: number;
}

const STARTED_AT = Date.UTC(2026, 10, 23, 9, 12, 0) / 1000;

export const SAMPLE_PARTS: readonly SamplePart[] = [
  {
    id: '1001',
    part_type: 'comment',
    author: { type: 'user', ...SAMPLE_CONTACT },
    body: html('Hi, I was charged $129.00 for Premium this month, but I cancelled last week. Can I get that refunded?'),
    created_at: STARTED_AT,
  },
  {
    id: '1002',
    part_type: 'comment',
    author: FIN,
    body: html('Sorry about that, Jordan. I can see the charge on 1 November. Let me check whether it can be refunded.'),
    created_at: STARTED_AT + 20,
  },
  {
    id: '1003',
    part_type: 'comment',
    author: { type: 'user', ...SAMPLE_CONTACT },
    body: html('Thanks. Please also make sure the plan is really cancelled this time.'),
    created_at: STARTED_AT + 65,
  },
  {
    id: '1004',
    part_type: 'comment',
    author: FIN,
    // Fin's answers carry paragraphs, lists, links and entities: the request shows them as plain text.
    body:
      '<p class="no-margin">I can refund the <b>$129.00</b> and cancel Premium for you:</p>' +
      '<ul><li><p class="no-margin">Refund of $129.00 to the card ending 4242</p></li><li><p class="no-margin">Premium cancelled today, no further charges</p></li></ul>' +
      '<p class="no-margin">A teammate needs to approve the refund first; I&#39;ll be right back. Our <a href="https://example.com/help/refunds" target="_blank" rel="nofollow noopener noreferrer" class="intercom-content-link">refund policy</a> has the details.</p>',
    created_at: STARTED_AT + 80,
  },
];

export const SAMPLE_TITLE = 'Refund for Premium after cancelling';

const PAGE_TEXT_CHARS = 4000;

/** What GET /playground/api/intercom/config shows the page. */
export function conversationForPage(state: 'open' | 'closed') {
  return {
    id: SAMPLE_CONVERSATION_ID,
    title: SAMPLE_TITLE,
    state,
    contact: SAMPLE_CONTACT,
    assignee: { id: SAMPLE_ADMIN.id, name: SAMPLE_ADMIN.name, email: SAMPLE_ADMIN.email },
    parts: SAMPLE_PARTS.map((part) => ({ ...part, body: messageText(part.body, PAGE_TEXT_CHARS) })),
  };
}

export function html(text: string): string {
  return `<p>${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`;
}

/** Intercom's contact model (trimmed to common fields). */
export function contactModel() {
  return {
    type: 'contact',
    id: SAMPLE_CONTACT.id,
    role: 'user',
    name: SAMPLE_CONTACT.name,
    email: SAMPLE_CONTACT.email,
    external_id: 'cus_Jr5521',
    created_at: STARTED_AT - 86_400 * 200,
    location: { type: 'location', country: 'United States', city: 'Portland' },
  };
}

/** Intercom's admin model, as the canvas requests carry it. */
export function adminModel() {
  return {
    ...SAMPLE_ADMIN,
    job_title: 'Support',
    away_mode_enabled: false,
    away_mode_reassign: false,
    has_inbox_seat: true,
    team_ids: [],
    avatar: { type: 'avatar', image_url: null },
  };
}

function partModel(part: SamplePart) {
  return {
    type: 'conversation_part',
    id: part.id,
    part_type: part.part_type,
    body: part.body || null,
    created_at: part.created_at,
    updated_at: part.created_at,
    notified_at: part.created_at,
    author: { type: part.author.type, id: part.author.id, name: part.author.name, email: part.author.email ?? '', ...(part.author.type === 'bot' ? { from_ai_agent: true, is_ai_answer: true } : {}) },
    attachments: [],
    redacted: false,
  };
}

/** Intercom's REST conversation model for the sample conversation, with `extraParts` appended. */
export function conversationModel(options: { state?: 'open' | 'closed'; extraParts?: SamplePart[] } = {}) {
  const parts = [...SAMPLE_PARTS, ...(options.extraParts ?? [])];
  const first = SAMPLE_PARTS[0]!;
  const updatedAt = parts[parts.length - 1]!.created_at;
  return {
    type: 'conversation',
    id: SAMPLE_CONVERSATION_ID,
    title: SAMPLE_TITLE,
    created_at: first.created_at,
    updated_at: updatedAt,
    waiting_since: options.state === 'closed' ? null : updatedAt,
    snoozed_until: null,
    open: options.state !== 'closed',
    state: options.state ?? 'open',
    read: true,
    priority: 'not_priority',
    admin_assignee_id: Number(SAMPLE_ADMIN.id),
    team_assignee_id: null,
    ai_agent_participated: true,
    source: {
      type: 'conversation',
      id: '403918316',
      delivered_as: 'customer_initiated',
      subject: '',
      body: first.body,
      author: { type: 'user', id: SAMPLE_CONTACT.id, name: SAMPLE_CONTACT.name, email: SAMPLE_CONTACT.email },
      attachments: [],
      url: null,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: SAMPLE_CONTACT.id, external_id: 'cus_Jr5521', email: SAMPLE_CONTACT.email }] },
    teammates: { type: 'admin.list', admins: [{ type: 'admin', id: SAMPLE_ADMIN.id }] },
    assignee: { type: 'admin', id: SAMPLE_ADMIN.id, name: SAMPLE_ADMIN.name, email: SAMPLE_ADMIN.email },
    conversation_parts: { type: 'conversation_part.list', conversation_parts: parts.map(partModel), total_count: parts.length },
  };
}

/** The part an admin closing the conversation adds. */
export function closePart(at: number): SamplePart {
  return { id: String(2000 + (at % 1000)), part_type: 'close', author: { type: 'admin', id: SAMPLE_ADMIN.id, name: SAMPLE_ADMIN.name, email: SAMPLE_ADMIN.email }, body: '', created_at: at };
}
