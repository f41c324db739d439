// The internal notes Countersign adds to an Intercom conversation: when one of its requests is settled,
// and (when the workspace asks for it) when one is created, so Intercom notifies the assignee. Two
// delivery kinds (delivery/note-kinds.ts) sharing one sender, planned in the change's transaction and sent by the outbox worker
// with the workspace's current Intercom access token (read at send time, so a re-installed app's new
// token applies to the next retry).
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
import type { IntercomLink, IntercomSettings } from './intercom-settings';

/** Settlement notes (the name predates creation notes; stored rows carry it). */
export const INTERCOM_NOTE_KIND = 'intercom_note';
export const INTERCOM_REQUEST_NOTE_KIND = 'intercom_request_note';
const WHERE_TO_DECIDE = 'Approve, reject or edit it in the Countersign app of this conversation.';
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Answers retrying cannot fix: a malformed note, a conversation or admin that does not exist. */
const PERMANENT = new Set([400, 404, 410, 422]);

export function conversationNoteUrl(apiBaseUrl: string, conversationId: string): string {
  return `${apiBaseUrl}/conversations/${conversationId}/reply`;
}

/**
 * The note's author: the teammate who decided in the inbox, else the workspace's configured admin.
 * Intercom requires an admin_id on every note, so without either there is no note.
 */
export function noteAuthor(approval: ApprovalRecord, link: IntercomLink): string | null {
  if (approval.decidedBy?.via === 'intercom' && CONVERSATION_ID.test(approval.decidedBy.id)) return approval.decidedBy.id;
  return link.adminId;
}

export function conversationNoteBody(approval: ApprovalRecord, adminId: string): string {
  return noteBody(settlementSummary(approval), adminId);
}

/** The note on a new request is the workspace's configured admin's: nobody has decided yet. */
export function requestNoteBody(approval: ApprovalRecord, adminId: string): string {
  return noteBody(requestSummary(approval, WHERE_TO_DECIDE), adminId);
}

function noteBody({ headline, lines }: NoteSummary, adminId: string): string {
  // Notes accept some HTML, so every line is escaped text in its own paragraph.
  const body = [`<p><b>${escapeHtml(headline)}</b></p>`, ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('');
  return JSON.stringify({ message_type: 'note', type: 'admin', admin_id: adminId, body });
}

interface ConversationNoteDeps {
  intercom: IntercomSettings;
  guard: CallbackGuard;
  timeoutMs: number;
  apiVersion: string;
  outbox: Pick<OutboxStore, 'list'>;
}

/** The settlement note, and the optional note on creation (by the link's admin: nobody has decided yet). */
export function intercomConversationNotes(deps: ConversationNoteDeps): DeliveryKind[] {
  return noteKinds({
    platform: 'intercom',
    kinds: { settled: INTERCOM_NOTE_KIND, created: INTERCOM_REQUEST_NOTE_KIND },
    plan: (approval, workspace, note, kind) =>
      note === 'settled'
        ? planNote(deps, approval, workspace, kind, (link) => noteAuthor(approval, link), conversationNoteBody)
        : planNote(deps, approval, workspace, kind, (link) => link.adminId, requestNoteBody),
    send: (delivery, workspace) => sendNote(deps, delivery, workspace),
    outbox: deps.outbox,
  });
}

type NoteBody = (approval: ApprovalRecord, adminId: string) => string;

function planNote(deps: ConversationNoteDeps, approval: ApprovalRecord, workspace: WorkspaceRecord, kind: string, authorOf: (link: IntercomLink) => string | null, body: NoteBody): DeliveryRecord[] {
  const link = deps.intercom.link(workspace);
  const context = approval.context;
  if (!link || context?.platform !== 'intercom' || !CONVERSATION_ID.test(context.conversationId)) return [];
  // Intercom requires an admin_id on every note: without an author there is no note.
  const author = authorOf(link);
  if (!author) return [];
  return [newDelivery(approval, kind, conversationNoteUrl(deps.intercom.apiBaseUrl(link), context.conversationId), body(approval, author))];
}

async function sendNote(deps: ConversationNoteDeps, delivery: DeliveryRecord, workspace: WorkspaceRecord): Promise<AttemptResult> {
  const link = deps.intercom.link(workspace);
  const token = deps.intercom.accessToken(workspace);
  if (!link || !token) return givenUp('the workspace is no longer connected to Intercom');
  // The note was planned for one Intercom host; never send this workspace's token anywhere else.
  if (!delivery.target.startsWith(`${deps.intercom.apiBaseUrl(link)}/`)) return givenUp('the workspace now points at a different Intercom API');
  return sendHttpDelivery(delivery, {
    guard: deps.guard,
    timeoutMs: deps.timeoutMs,
    headers: { accept: 'application/json', authorization: `Bearer ${token}`, 'intercom-version': deps.apiVersion },
    permanent: (status) => PERMANENT.has(status),
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
