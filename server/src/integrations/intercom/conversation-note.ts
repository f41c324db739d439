// The internal note Countersign adds to an Intercom conversation when one of its requests is settled:
// a delivery kind, planned in the settlement's transaction and sent by the outbox worker with the
// workspace's current Intercom access token (read at send time, so a re-installed app's new token
// applies to the next retry).
import { settlementSummary } from '../../approvals/settlement-summary';
import type { ApprovalRecord } from '../../approvals/records';
import { givenUp, type DeliveryKind } from '../../delivery/delivery-kind';
import { sendHttpDelivery } from '../../delivery/http-delivery';
import { newDelivery } from '../../delivery/new-delivery';
import type { CallbackGuard } from '../../outbound/callback-guard';
import type { IntercomLink, IntercomSettings } from './intercom-settings';

export const INTERCOM_NOTE_KIND = 'intercom_note';
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
  const { headline, lines } = settlementSummary(approval);
  // Notes accept some HTML, so every line is escaped text in its own paragraph.
  const body = [`<p><b>${escapeHtml(headline)}</b></p>`, ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('');
  return JSON.stringify({ message_type: 'note', type: 'admin', admin_id: adminId, body });
}

export function intercomConversationNote(deps: { intercom: IntercomSettings; guard: CallbackGuard; timeoutMs: number; apiVersion: string }): DeliveryKind {
  return {
    name: INTERCOM_NOTE_KIND,
    plan({ transition, approval, workspace }) {
      if (transition !== 'settled') return [];
      const link = deps.intercom.link(workspace);
      const context = approval.context;
      if (!link || context?.platform !== 'intercom' || !CONVERSATION_ID.test(context.conversationId)) return [];
      const author = noteAuthor(approval, link);
      if (!author) return [];
      return [newDelivery(approval, INTERCOM_NOTE_KIND, conversationNoteUrl(deps.intercom.apiBaseUrl(link), context.conversationId), conversationNoteBody(approval, author))];
    },
    async send(delivery, workspace) {
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
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
