// The internal note Countersign writes on a Zendesk ticket when one of its requests is settled.
// Planned inside the settlement's transaction (an outbox delivery), sent later by the worker.
import { settlementSummary } from '../../approvals/settlement-summary';
import { newDelivery } from '../../delivery/callback-delivery';
import type { ApprovalRecord, DeliveryRecord } from '../../approvals/records';
import type { ZendeskAccount } from './zendesk-settings';

const TICKET_ID = /^[1-9]\d{0,18}$/;

export function ticketNoteUrl(account: ZendeskAccount, ticketId: string): string {
  return `${account.baseUrl}/api/v2/tickets/${ticketId}.json`;
}

/** `public: false` is sent explicitly: Zendesk otherwise reuses the ticket's first comment's visibility. */
export function ticketNoteBody(approval: ApprovalRecord): string {
  const { headline, lines } = settlementSummary(approval);
  return JSON.stringify({ ticket: { comment: { body: [headline, '', ...lines].join('\n'), public: false } } });
}

export function planTicketNote(approval: ApprovalRecord, account: ZendeskAccount | null): DeliveryRecord[] {
  const context = approval.context;
  // Zendesk ticket ids are numeric; anything else came from a free-text detail and is not a ticket.
  if (!account || context?.platform !== 'zendesk' || !TICKET_ID.test(context.ticketId)) return [];
  return [newDelivery(approval, 'zendesk_note', ticketNoteUrl(account, context.ticketId), ticketNoteBody(approval))];
}
