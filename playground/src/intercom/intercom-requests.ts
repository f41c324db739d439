// The requests the emulated Intercom sends Countersign: the Inbox app's initialize and submit bodies
// (Canvas Kit, signed with X-Body-Signature) and webhook notifications (signed with X-Hub-Signature).
import { randomUUID } from 'node:crypto';
import { adminModel, closePart, contactModel, conversationModel, SAMPLE_CONVERSATION_ID } from './sample-conversation';

export const WORKSPACE_REGION = 'US';

export interface SubmitInput {
  component_id: string;
  input_values?: Record<string, unknown> | null;
  current_canvas?: Record<string, unknown> | null;
  stored_data?: Record<string, unknown> | null;
}

/** An initialize request for the Inbox location: the teammate, the conversation, the contact viewed. */
export function initializeRequest(workspaceId: string) {
  return {
    workspace_id: workspaceId,
    workspace_region: WORKSPACE_REGION,
    admin: adminModel(),
    conversation: conversationModel(),
    contact: contactModel(),
  };
}

/**
 * A submit request: initialize's fields plus the clicked component, the input values and the canvas
 * that was showing, which carries the stored_data of the last response ("sent in whatever the next
 * request is").
 */
export function submitRequest(workspaceId: string, input: SubmitInput) {
  const currentCanvas = { ...(input.current_canvas ?? {}) };
  const storedData = input.stored_data ?? currentCanvas.stored_data;
  if (storedData !== undefined && storedData !== null) currentCanvas.stored_data = storedData;
  return {
    ...initializeRequest(workspaceId),
    component_id: input.component_id,
    input_values: input.input_values ?? {},
    current_canvas: currentCanvas,
  };
}

export const WEBHOOK_KINDS = ['gated', 'duplicate', 'closed'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const CLOSED_TOPIC = 'conversation.admin.closed';

/** A fresh notification_event about the sample conversation, as Intercom delivers it. */
export function notificationEvent(topic: string, workspaceId: string, now = Date.now()) {
  const seconds = Math.floor(now / 1000);
  const closed = topic === CLOSED_TOPIC;
  return {
    type: 'notification_event',
    app_id: workspaceId,
    data: {
      type: 'notification_event_data',
      item: conversationModel(closed ? { state: 'closed', extraParts: [closePart(seconds)] } : {}),
    },
    links: {},
    id: `notif_${randomUUID()}`,
    topic,
    delivery_status: 'pending',
    delivery_attempts: 1,
    delivered_at: 0,
    first_sent_at: seconds,
    created_at: seconds,
    self: null,
  };
}

export { SAMPLE_CONVERSATION_ID };
