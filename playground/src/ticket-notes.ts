// The playground's fake Zendesk (and fake Intercom): records the internal notes Countersign writes on
// the sample ticket or conversation, oldest first, the order an agent reads a ticket's timeline in.
const KEEP = 50;

export interface TicketNote {
  receivedAt: string;
  body: string;
  public: boolean;
  /** The agent the note is written as (Zendesk's author_id), when it is not the API token's user. */
  author?: { id: string; name: string } | null;
}

export class TicketNotes {
  private readonly notes = new Map<string, TicketNote[]>();

  record(ticketId: string, note: Omit<TicketNote, 'receivedAt'>): void {
    const list = this.notes.get(ticketId) ?? [];
    list.push({ receivedAt: new Date().toISOString(), ...note });
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    this.notes.set(ticketId, list);
  }

  list(ticketId: string): TicketNote[] {
    return [...(this.notes.get(ticketId) ?? [])];
  }
}
