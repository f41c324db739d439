// The sample Intercom conversation in the middle of the inbox view, and the internal notes
// Countersign wrote on it through the fake Intercom REST API (bodies arrive as plain text).
import type { ConversationState } from '../../playground-routes';
import type { TicketNote } from '../../ticket-notes';
import { byTestId, formatTime, h } from '../dom';
import type { SampleConversation } from './intercom-api';

type Part = SampleConversation['parts'][number];

const AUTHOR_KIND: ReadonlyMap<string, string> = new Map(Object.entries({ user: 'Customer', bot: 'AI agent', admin: 'Teammate' } satisfies Record<Part['author']['type'], string>));

function partItem(part: Part): HTMLLIElement {
  const author: Partial<Part['author']> = part.author ?? {};
  const kind = String(author.type ?? 'user');
  return h('li', { className: `inbox-part inbox-part-${kind}`, testId: 'intercom-part', data: { authorType: kind, partId: String(part.id ?? '') } }, [
    h('div', { className: 'comment-meta' }, [
      h('span', { className: 'avatar', text: String(author.name ?? '?').slice(0, 1).toUpperCase(), attrs: { 'aria-hidden': 'true' } }),
      h('strong', { text: String(author.name ?? 'Unknown') }),
      h('span', { className: 'part-kind', text: AUTHOR_KIND.get(kind) ?? kind }),
      part.created_at ? h('span', { className: 'muted', text: new Date(part.created_at * 1000).toLocaleString() }) : null,
    ]),
    h('p', { className: 'inbox-part-body', text: String(part.body ?? '') }),
  ]);
}

export function renderConversation(conversation: SampleConversation): void {
  byTestId('intercom-conversation-title').textContent = conversation.title ?? 'Conversation';
  byTestId('intercom-conversation-id').textContent = `#${conversation.id}`;
  const contact: Partial<SampleConversation['contact']> = conversation.contact ?? {};
  byTestId('intercom-contact').textContent = `${contact.name ?? 'Unknown contact'}${contact.email ? ` <${contact.email}>` : ''}`;
  byTestId('intercom-details-contact').textContent = contact.name ?? '';
  byTestId('intercom-details-email').textContent = contact.email ?? '';
  byTestId('intercom-details-assignee').textContent = conversation.assignee?.name ?? 'Unassigned';
  byTestId('intercom-details-id').textContent = String(conversation.id);
  setConversationState(conversation.state ?? 'open');
  byTestId('intercom-parts').replaceChildren(...(conversation.parts ?? []).map(partItem));
}

export function setConversationState(state: ConversationState): void {
  const pill = byTestId('intercom-conversation-state');
  pill.textContent = state;
  pill.dataset.state = state;
}

function noteItem(note: TicketNote): HTMLLIElement {
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
export function renderConversationNotes({ notes = [] }: { notes?: TicketNote[] } = {}): void {
  byTestId('intercom-notes-empty').hidden = notes.length > 0;
  byTestId('intercom-notes').replaceChildren(...notes.map(noteItem));
}
