// Signed Intercom notifications whose fields have unexpected types: read for what they are, never a
// TypeError (found by test/proof/fuzz.test.ts, where such notifications failed on every retry).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/errors';
import { conversationIdOf, notificationWorkspace, relayRequest, type IntercomNotification } from '../../server/src/integrations/intercom/relay-request';
import type { IntercomLink } from '../../server/src/integrations/intercom/intercom-settings';

const link = { workspaceId: 'ic_app_1', region: 'US', adminId: '7001', gatedTopics: ['conversation.operator.replied'], callbackUrl: null } as IntercomLink;
const base = { id: 'notif_1', topic: 'conversation.operator.replied', app_id: 'ic_app_1' };

describe('the relay request built from an Intercom notification', () => {
  it.each([
    ['conversation parts that are not a list', { id: '9001', conversation_parts: { conversation_parts: 42 } }],
    ['a message body that is not text', { id: '9001', conversation_parts: { conversation_parts: [{ body: 7 }] } }],
    ['contacts that are a string', { id: '9001', contacts: { contacts: 'jordan@example.com' } }],
    ['an assignee email that is an object', { id: '9001', assignee: { email: { address: 'x' } } }],
    ['null parts everywhere', { id: '9001', contacts: null, assignee: null, conversation_parts: null }],
  ])('reads %s as absent', (_name, item) => {
    const request = relayRequest({ ...base, data: { item } }, link);
    expect(request.details).toEqual({ conversationId: '9001' });
    expect(request.context).toEqual({ platform: 'intercom', conversationId: '9001' });
  });

  it('keeps the values that have the expected types', () => {
    const item = { id: 9001, contacts: { contacts: [{ email: 'jordan@example.com' }] }, assignee: { email: 'morgan@acme.example' }, conversation_parts: { conversation_parts: [{ body: 'first' }, { body: '<p>last</p>' }] } };
    expect(relayRequest({ ...base, data: { item } }, link).details).toEqual({ conversationId: '9001', contactEmail: 'jordan@example.com', assignedAdmin: 'morgan@acme.example', lastMessage: '<p>last</p>' });
  });

  it.each([
    ['data that is a string', 'item'],
    ['an item that is a list', { item: [1, 2] }],
    ['an item id that is an object', { item: { id: { nested: true } } }],
  ])('falls back to an unknown conversation for %s', (_name, data) => {
    const notification: IntercomNotification = { ...base, data };
    expect(conversationIdOf(notification)).toBeNull();
    expect(relayRequest(notification, link).context).toEqual({ platform: 'intercom', conversationId: 'unknown' });
  });

  it('names the workspace only from text ids', () => {
    expect(notificationWorkspace({ ...base, app_id: 12 })).toBeNull();
    expect(notificationWorkspace({ ...base, app_id: undefined, workspace_id: 'ws_1' })).toBe('ws_1');
  });

  it('refuses, as an unprocessable AppError, a notification that cannot make a valid request', () => {
    const notification = { ...base, data: { item: { id: 'x'.repeat(500) } } };
    expect(() => relayRequest(notification, link)).toThrow(AppError);
    try {
      relayRequest(notification, link);
    } catch (error) {
      expect(error).toMatchObject({ kind: 'unprocessable', code: 'invalid_notification' });
    }
  });
});
