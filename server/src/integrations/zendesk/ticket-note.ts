// The internal notes Countersign writes on a Zendesk ticket: when one of its requests is settled, and
// (when the workspace asks for it) when one is created, so Zendesk notifies the ticket's assignee.
// Two delivery kinds (delivery/note-kinds.ts) sharing one sender, planned in the change's transaction and sent by the outbox
// worker with the workspace's current Zendesk credentials (read at send time, so a fixed token applies
// to the next retry). API token auth is Basic `{email}/token:{token}`.
import type { OutboxStore } from '../../approvals/ports';
import { requestSummary } from '../../approvals/request-summary';
import { settlementSummary, type NoteSummary } from '../../approvals/settlement-summary';
import type { ApprovalRecord, DeliveryRecord } from '../../approvals/records';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import { givenUp, type AttemptResult, type DeliveryKind } from '../../delivery/delivery-kind';
import { sendHttpDelivery } from '../../delivery/http-delivery';
import { newDelivery } from '../../delivery/new-delivery';
import { noteKinds } from '../../delivery/note-kinds';
import type { CallbackGuard } from '../../outbound/callback-guard';
import type { ZendeskAccount, ZendeskSettings } from './zendesk-settings';

/** Settlement notes (the name predates creation notes; stored rows carry it). */
export const ZENDESK_NOTE_KIND = 'zendesk_note';
export const ZENDESK_REQUEST_NOTE_KIND = 'zendesk_request_note';
const WHERE_TO_DECIDE = "Approve, reject or edit it in the Countersign app in this ticket's sidebar.";
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
  return commentBody(settlementSummary(approval), zendeskAuthor(approval));
}

/** The note on a new request is the API token user's: nobody has decided yet. */
export function requestNoteBody(approval: ApprovalRecord): string {
  return commentBody(requestSummary(approval, WHERE_TO_DECIDE), null);
}

function commentBody({ headline, lines }: NoteSummary, author: number | null): string {
  return JSON.stringify({ ticket: { comment: { body: [headline, '', ...lines].join('\n'), public: false, ...(author !== null ? { author_id: author } : {}) } } });
}

/** Zendesk user ids are integers; one that JSON cannot carry exactly is left out rather than rounded into someone else. */
function zendeskAuthor(approval: ApprovalRecord): number | null {
  const decider = approval.decidedBy;
  if (decider?.via !== 'zendesk' || !USER_ID.test(decider.id)) return null;
  const id = Number(decider.id);
  return Number.isSafeInteger(id) ? id : null;
}

interface TicketNoteDeps {
  zendesk: ZendeskSettings;
  guard: CallbackGuard;
  timeoutMs: number;
  outbox: Pick<OutboxStore, 'list'>;
}

/** The settlement note, and the optional note on creation. */
export function zendeskTicketNotes(deps: TicketNoteDeps): DeliveryKind[] {
  return noteKinds({
    platform: 'zendesk',
    kinds: { settled: ZENDESK_NOTE_KIND, created: ZENDESK_REQUEST_NOTE_KIND },
    plan: (approval, workspace, note, kind) => planNote(deps, approval, workspace, kind, note === 'settled' ? ticketNoteBody : requestNoteBody),
    send: (delivery, workspace) => sendNote(deps, delivery, workspace),
    outbox: deps.outbox,
  });
}

function planNote(deps: TicketNoteDeps, approval: ApprovalRecord, workspace: WorkspaceRecord, kind: string, body: (approval: ApprovalRecord) => string): DeliveryRecord[] {
  const account = deps.zendesk.account(workspace);
  const context = approval.context;
  // Zendesk ticket ids are numeric; anything else came from a free-text detail and is not a ticket.
  if (!account || context?.platform !== 'zendesk' || !TICKET_ID.test(context.ticketId)) return [];
  return [newDelivery(approval, kind, ticketNoteUrl(account, context.ticketId), body(approval))];
}

async function sendNote(deps: TicketNoteDeps, delivery: DeliveryRecord, workspace: WorkspaceRecord): Promise<AttemptResult> {
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
}
