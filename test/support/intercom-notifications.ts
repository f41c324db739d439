// Intercom webhook notifications as Intercom sends them, signed with X-Hub-Signature.
import { randomUUID } from 'node:crypto';
import { hubSignature } from '@countersign/server/integrations/intercom';

export const INTERCOM_SECRET = 'intercom-client-secret-for-tests';

export function notification(topic: string, conversationId: string, appId: string, id = `notif_${randomUUID()}`) {
  return {
    type: 'notification_event',
    app_id: appId,
    id,
    topic,
    created_at: Math.floor(Date.now() / 1000),
    delivery_attempts: 1,
    first_sent_at: Math.floor(Date.now() / 1000),
    data: {
      type: 'notification_event_data',
      item: {
        type: 'conversation',
        id: conversationId,
        contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: 'c1', email: 'jordan@example.com' }] },
        assignee: { type: 'admin', id: '7001', email: 'morgan@acme.example' },
        conversation_parts: { conversation_parts: [{ type: 'conversation_part', body: '<p>I can refund your order.</p>' }] },
      },
    },
  };
}

export function signedDelivery(body: string, secret = INTERCOM_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature': hubSignature(secret, body) };
}
