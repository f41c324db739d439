// The internal note Countersign writes on a Zendesk ticket when one of its requests is settled: a
// delivery kind, planned in the settlement's transaction and sent by the outbox worker with the
// workspace's current Zendesk credentials (read at send time, so a fixed token applies to the next
// retry). API token auth is Basic `{email}/token:{token}`.
import { settlementSummary } from '../../approvals/settlement-summary';
import type { ApprovalRecord } from '../../approvals/records';
import { givenUp, type DeliveryKind } from '../../delivery/delivery-kind';
import { sendHttpDelivery } from '../../delivery/http-delivery';
import { newDelivery } from '../../delivery/new-delivery';
import type { CallbackGuard } from '../../outbound/callback-guard';
import type { ZendeskAccount, ZendeskSettings } from './zendesk-settings';

export const ZENDESK_NOTE_KIND = 'zendesk_note';
const TICKET_ID = /^[1-9]\d{0,18}$/;
const USER_ID = /^[1-9]\d{0,18}$/;
/** Answers that retrying cannot fix: a bad request, a deleted ticket, a ticket at its comment limit. */
const PERMANENT = new Set([400, 404, 410, 422]);

export function ticketNoteUrl(account: ZendeskAccount, ticketId: string): string {
  return `${account.baseUrl}/api/v2/tickets/${ticketId}.json`;
}

/**
 * `public: false` is sent explicitly: Zendesk otherwise reuses the ticket's first comment's visibility.
 * The note is the deciding agent's own (`author_id`) only when Zendesk itself vouched for them
 * (decidedBy.via "zendesk" comes only from a Zendesk sign-in session); otherwise the API token's user
 * writes it, as for every other settlement.
 */
export function ticketNoteBody(approval: ApprovalRecord): string {
  const { headline, lines } = settlementSummary(approval);
  const author = zendeskAuthor(approval);
  return JSON.stringify({ ticket: { comment: { body: [headline, '', ...lines].join('\n'), public: false, ...(author !== null ? { author_id: author } : {}) } } });
}

/** Zendesk user ids are integers; one that JSON cannot carry exactly is left out rather than rounded into someone else. */
function zendeskAuthor(approval: ApprovalRecord): number | null {
  const decider = approval.decidedBy;
  if (decider?.via !== 'zendesk' || !USER_ID.test(decider.id)) return null;
  const id = Number(decider.id);
  return Number.isSafeInteger(id) ? id : null;
}

export function zendeskTicketNote(deps: { zendesk: ZendeskSettings; guard: CallbackGuard; timeoutMs: number }): DeliveryKind {
  return {
    name: ZENDESK_NOTE_KIND,
    plan({ transition, approval, workspace }) {
      if (transition !== 'settled') return [];
      const account = deps.zendesk.account(workspace);
      const context = approval.context;
      // Zendesk ticket ids are numeric; anything else came from a free-text detail and is not a ticket.
      if (!account || context?.platform !== 'zendesk' || !TICKET_ID.test(context.ticketId)) return [];
      return [newDelivery(approval, ZENDESK_NOTE_KIND, ticketNoteUrl(account, context.ticketId), ticketNoteBody(approval))];
    },
    async send(delivery, workspace) {
      const credentials = deps.zendesk.credentials(workspace);
      if (!credentials) return givenUp('the workspace no longer has Zendesk credentials');
      // The note was planned for one account; never send this account's token to another host.
      if (!delivery.target.startsWith(`${credentials.baseUrl}/`)) return givenUp('the workspace now points at a different Zendesk account');
      return sendHttpDelivery(delivery, {
        method: 'PUT',
        guard: deps.guard,
        timeoutMs: deps.timeoutMs,
        headers: { authorization: `Basic ${Buffer.from(`${credentials.email}/token:${credentials.apiToken}`).toString('base64')}` },
        permanent: (status) => PERMANENT.has(status),
      });
    },
  };
}
