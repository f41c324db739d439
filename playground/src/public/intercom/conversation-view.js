// The sample Intercom conversation in the middle of the inbox view, and the internal notes
// Countersign wrote on it through the fake Intercom REST API (bodies arrive as plain text).
import { byTestId, formatTime, h } from '../dom.js';

const AUTHOR_KIND = { user: 'Customer', bot: 'AI agent', admin: 'Teammate' };

function partItem(part) {
  const author = part.author ?? {};
  const kind = String(author.type ?? 'user');
  return h('li', { className: `inbox-part inbox-part-${kind}`, testId: 'intercom-part', data: { authorType: kind, partId: String(part.id ?? '') } }, [
    h('div', { className: 'comment-meta' }, [
      h('span', { className: 'avatar', text: String(author.name ?? '?').slice(0, 1).toUpperCase(), attrs: { 'aria-hidden': 'true' } }),
      h('strong', { text: String(author.name ?? 'Unknown') }),
      h('span', { className: 'part-kind', text: AUTHOR_KIND[kind] ?? kind }),
      part.created_at ? h('span', { className: 'muted', text: new Date(part.created_at * 1000).toLocaleString() }) : null,
    ]),
    h('p', { className: 'inbox-part-body', text: String(part.body ?? '') }),
  ]);
}

export function renderConversation(conversation) {
  byTestId('intercom-conversation-title').textContent = conversation.title ?? 'Conversation';
  byTestId('intercom-conversation-id').textContent = `#${conversation.id}`;
  const contact = conversation.contact ?? {};
  byTestId('intercom-contact').textContent = `${contact.name ?? 'Unknown contact'}${contact.email ? ` <${contact.email}>` : ''}`;
  byTestId('intercom-details-contact').textContent = contact.name ?? '';
  byTestId('intercom-details-email').textContent = contact.email ?? '';
  byTestId('intercom-details-assignee').textContent = conversation.assignee?.name ?? 'Unassigned';
  byTestId('intercom-details-id').textContent = String(conversation.id);
  setConversationState(conversation.state ?? 'open');
  byTestId('intercom-parts').replaceChildren(...(conversation.parts ?? []).map(partItem));
}

export function setConversationState(state) {
  const pill = byTestId('intercom-conversation-state');
  pill.textContent = state;
  pill.dataset.state = state;
}

function noteItem(note) {
  return h('li', { className: 'note inbox-note', testId: 'intercom-note' }, [
    h('div', { className: 'note-meta' }, [
      h('strong', { text: 'Countersign' }),
      h('span', { className: 'note-tag', text: 'internal note' }),
      h('span', { className: 'muted', text: formatTime(note.receivedAt) }),
    ]),
    h('p', { className: 'note-body', text: String(note.body ?? '') }),
  ]);
}

/** Oldest first (the server's order), under the conversation, as the inbox shows notes in the timeline. */
export function renderConversationNotes({ notes = [] } = {}) {
  byTestId('intercom-notes-empty').hidden = notes.length > 0;
  byTestId('intercom-notes').replaceChildren(...notes.map(noteItem));
}
