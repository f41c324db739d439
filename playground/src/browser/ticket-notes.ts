// The internal notes Countersign wrote back to the ticket (through the server's fake Zendesk).
import type { TicketNote } from '../ticket-notes';
import { byTestId, formatTime, h } from './dom';

function noteItem(note: TicketNote): HTMLLIElement {
  // Written as the deciding agent when Zendesk vouched for them (author_id); as Countersign's API user otherwise.
  const author = note.author ? `${note.author.name} (through Countersign)` : 'Countersign';
  return h('li', { className: 'note', testId: 'ticket-note', data: note.author ? { authorId: note.author.id } : {} }, [
    h('div', { className: 'note-meta' }, [
      h('strong', { text: author, testId: 'ticket-note-author' }),
      h('span', { className: 'note-tag', text: note.public ? 'public reply' : 'internal note' }),
      h('span', { className: 'muted', text: formatTime(note.receivedAt) }),
    ]),
    h('p', { className: 'note-body', text: String(note.body ?? '') }),
  ]);
}

/** Oldest first (the server's order), under the conversation, as Zendesk shows a ticket's events. */
export function renderNotes({ notes = [] }: { notes?: TicketNote[] } = {}): void {
  byTestId('notes-empty').hidden = notes.length > 0;
  byTestId('ticket-notes').replaceChildren(...notes.map(noteItem));
}
