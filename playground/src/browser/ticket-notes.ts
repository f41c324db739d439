// The internal notes Countersign wrote back to the ticket (through the server's fake Zendesk).
import type { TicketNote } from '../ticket-notes';
import { byTestId, formatTime, h } from './dom';

function noteItem(note: TicketNote): HTMLLIElement {
  return h('li', { className: 'note', testId: 'ticket-note' }, [
    h('div', { className: 'note-meta' }, [
      h('strong', { text: 'Countersign' }),
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
