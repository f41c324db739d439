// The internal note Countersign adds to an Intercom conversation when one of its requests is settled.
// Planned in the settlement's transaction (an outbox delivery), sent later by the worker.
import { settlementSummary } from '../../approvals/settlement-summary';
import { newDelivery } from '../../delivery/callback-delivery';
import type { ApprovalRecord, DeliveryRecord } from '../../approvals/records';
import type { IntercomLink } from './intercom-settings';

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

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

export function planConversationNote(approval: ApprovalRecord, link: IntercomLink | null, apiBaseUrl: string | null): DeliveryRecord[] {
  const context = approval.context;
  if (!link || !apiBaseUrl || context?.platform !== 'intercom' || !CONVERSATION_ID.test(context.conversationId)) return [];
  const author = noteAuthor(approval, link);
  if (!author) return [];
  return [newDelivery(approval, 'intercom_note', conversationNoteUrl(apiBaseUrl, context.conversationId), conversationNoteBody(approval, author))];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
