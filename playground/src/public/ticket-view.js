// The ticket in the middle of the workspace: header and conversation, from /playground/api/config.
import { byTestId, h } from './dom.js';

/** The sample conversation: the config's comments when it has them, else the description and an AI reply. */
function conversationOf(ticket) {
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

function commentItem(comment) {
  const author = typeof comment.author === 'string' ? comment.author : (comment.author?.name ?? 'Unknown');
  return h('li', { className: `comment${comment.public === false ? ' internal' : ''}`, testId: 'conversation-comment' }, [
    h('div', { className: 'comment-meta' }, [
      h('span', { className: 'avatar', text: author.slice(0, 1).toUpperCase(), attrs: { 'aria-hidden': 'true' } }),
      h('strong', { text: author }),
      (comment.at ?? comment.createdAt) ? h('span', { className: 'muted', text: new Date(comment.at ?? comment.createdAt).toLocaleString() }) : null,
    ]),
    h('p', { className: 'comment-body', text: String(comment.body ?? '') }),
  ]);
}

export function renderTicket(ticket) {
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
