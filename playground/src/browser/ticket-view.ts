// The ticket in the middle of the workspace: header and conversation, from /playground/api/config.
import { byTestId, h } from './dom';

/** What the view shows of a ticket; anything but the id may be missing. */
export interface Ticket {
  id: number | string;
  subject?: string;
  status?: string;
  requester?: { name?: string; email?: string };
  description?: string;
  createdAt?: string;
  comments?: TicketComment[];
}

export interface TicketComment {
  author?: string | { name?: string };
  body?: string;
  public?: boolean;
  at?: string;
  createdAt?: string;
}

/** The sample conversation: the config's comments when it has them, else the description and an AI reply. */
function conversationOf(ticket: Ticket): TicketComment[] {
  if (Array.isArray(ticket.comments) && ticket.comments.length > 0) return ticket.comments;
  const requester = ticket.requester ?? {};
  return [
    { author: requester.name ?? 'Requester', body: ticket.description ?? '', public: true, at: ticket.createdAt },
    {
      author: 'AI assistant',
      body: 'Thanks for reaching out. I have asked a member of our team to confirm this before I go ahead; you will hear back shortly.',
      public: true,
    },
  ];
}

function commentItem(comment: TicketComment): HTMLLIElement {
  const author = typeof comment.author === 'string' ? comment.author : (comment.author?.name ?? 'Unknown');
  const at = comment.at ?? comment.createdAt;
  return h('li', { className: `comment${comment.public === false ? ' internal' : ''}`, testId: 'conversation-comment' }, [
    h('div', { className: 'comment-meta' }, [
      h('span', { className: 'avatar', text: author.slice(0, 1).toUpperCase(), attrs: { 'aria-hidden': 'true' } }),
      h('strong', { text: author }),
      at ? h('span', { className: 'muted', text: new Date(at).toLocaleString() }) : null,
    ]),
    h('p', { className: 'comment-body', text: String(comment.body ?? '') }),
  ]);
}

export function renderTicket(ticket: Ticket): void {
  byTestId('ticket-id').textContent = `#${ticket.id}`;
  byTestId('ticket-subject').textContent = ticket.subject ?? '(no subject)';
  const status = byTestId('ticket-status');
  status.textContent = ticket.status ?? '';
  status.dataset.status = String(ticket.status ?? '');
  const requester = ticket.requester ?? {};
  byTestId('ticket-requester').textContent = `${requester.name ?? 'Unknown requester'}${requester.email ? ` <${requester.email}>` : ''}`;
  byTestId('conversation').replaceChildren(...conversationOf(ticket).map(commentItem));
  document.title = `#${ticket.id} ${ticket.subject ?? ''} — Countersign playground`;
}
