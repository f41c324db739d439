// The playground's fake Zendesk: records the internal notes Countersign writes on the sample ticket.
const KEEP = 50;

export interface TicketNote {
  receivedAt: string;
  body: string;
  public: boolean;
}

export class TicketNotes {
  private readonly notes = new Map<string, TicketNote[]>();

  record(ticketId: string, note: Omit<TicketNote, 'receivedAt'>): void {
    const list = this.notes.get(ticketId) ?? [];
    list.unshift({ receivedAt: new Date().toISOString(), ...note });
    list.length = Math.min(list.length, KEEP);
    this.notes.set(ticketId, list);
  }

  list(ticketId: string): TicketNote[] {
    return [...(this.notes.get(ticketId) ?? [])];
  }
}
