// Which ticket or conversation a request concerns: given explicitly, or read from the details the
// way Zendesk triggers and Intercom relays already send them.
import type { ApprovalContext, JsonObject } from '@countersign/shared';

const TICKET_KEYS = ['ticketId', 'ticket_id'] as const;
const CONVERSATION_KEYS = ['conversationId', 'conversation_id'] as const;
const MAX_ID_LENGTH = 128;

function idFrom(details: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = details[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    if (typeof value === 'string' && value.trim() !== '' && value.length <= MAX_ID_LENGTH) return value.trim();
  }
  return null;
}

export function deriveContext(explicit: ApprovalContext | null | undefined, details: JsonObject): ApprovalContext | null {
  if (explicit) return explicit;
  const ticketId = idFrom(details, TICKET_KEYS);
  if (ticketId !== null) return { platform: 'zendesk', ticketId };
  const conversationId = idFrom(details, CONVERSATION_KEYS);
  if (conversationId !== null) return { platform: 'intercom', conversationId };
  return null;
}
