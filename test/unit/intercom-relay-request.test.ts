// The request an Intercom notification becomes: readable action, summary and requester per topic (or
// the workspace's templates), the message as plain text. Signed notifications whose fields have
// unexpected types are read for what they are, never a TypeError (found by test/proof/fuzz.test.ts,
// where such notifications failed on every retry).
import { describe, expect, it } from 'vitest';
import { AppError } from '@countersign/server/approvals';
import { conversationIdOf, notificationWorkspace, relayRequest, type IntercomNotification } from '@countersign/server/integrations/intercom';
import { gateTopics, type IntercomLink } from '@countersign/server/integrations/intercom';
import { checkTemplate } from '@countersign/server/integrations/intercom';

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
    expect(relayRequest({ ...base, data: { item } }, link).details).toEqual({ conversationId: '9001', contactEmail: 'jordan@example.com', assignedAdmin: 'morgan@acme.example', lastMessage: 'last' });
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

const FIN_REPLY_HTML =
  '<p class="no-margin">I can refund the <b>$129.00</b> &amp; cancel Premium for you.</p>' +
  '<ul><li><p class="no-margin">A teammate approves the refund</p></li><li><p class="no-margin">The money is back in 5&ndash;10 days</p></li></ul>' +
  '<p class="no-margin">See our <a href="https://example.com/refunds" target="_blank" class="intercom-content-link">refund policy</a>.<br>Thanks &lt;3</p>';

function conversationItem(parts: unknown[], extra: Record<string, unknown> = {}) {
  return {
    type: 'conversation',
    id: '215467',
    contacts: { contacts: [{ type: 'contact', id: 'c1', name: 'Jane Doe', email: 'jane@example.com' }] },
    assignee: { type: 'admin', id: '7001', name: 'Morgan', email: 'morgan@acme.example' },
    conversation_parts: { conversation_parts: parts },
    ...extra,
  };
}

describe('the message of a relay request', () => {
  it('is Intercom\'s HTML as plain text: paragraphs and list items on lines, link URLs kept, entities decoded', () => {
    const request = relayRequest({ ...base, data: { item: conversationItem([{ body: FIN_REPLY_HTML }]) } }, link);
    expect(request.details.lastMessage).toBe(
      'I can refund the $129.00 & cancel Premium for you.\n\n- A teammate approves the refund\n- The money is back in 5–10 days\n\nSee our refund policy [https://example.com/refunds].\nThanks <3',
    );
  });

  it('carries no markup, whatever the body holds', () => {
    const body = '<div><script>alert(1)</script><style>p{}</style><img src="https://x.example/i.png" alt="receipt"><p onclick="x()">Hi<br/>there</p><table><tr><td>a</td><td>b</td></tr></table></div>';
    const message = String(relayRequest({ ...base, data: { item: conversationItem([{ body }]) } }, link).details.lastMessage);
    expect(message).not.toMatch(/<[a-z/!]/i);
    expect(message).not.toContain('alert(1)');
    expect(message).toContain('Hi\nthere');
    expect(message).toContain('receipt [https://x.example/i.png]');
  });

  it('is the newest part that has a message, else the conversation\'s first message', () => {
    const withAssignment = conversationItem([{ part_type: 'comment', body: '<p>Refund it, please.</p>' }, { part_type: 'assignment', body: null }, { part_type: 'close', body: '' }]);
    expect(relayRequest({ ...base, data: { item: withAssignment } }, link).details.lastMessage).toBe('Refund it, please.');
    const created = conversationItem([], { source: { type: 'conversation', body: '<p>Hi, please cancel my plan.</p>' } });
    expect(relayRequest({ ...base, topic: 'conversation.user.created', data: { item: created } }, link).details.lastMessage).toBe('Hi, please cancel my plan.');
  });

  it('bounds the work on huge bodies: 2 MB of HTML or 100,000 nested elements give at most 4000 characters, no error', () => {
    const huge = '<p>refund </p>'.repeat(150_000);
    const deep = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    for (const body of [huge, deep]) {
      const message = relayRequest({ ...base, data: { item: conversationItem([{ body }]) } }, link).details.lastMessage;
      expect(typeof message === 'string' && message.length <= 4000).toBe(true);
    }
    expect(String(relayRequest({ ...base, data: { item: conversationItem([{ body: huge }]) } }, link).details.lastMessage).endsWith('…')).toBe(true);
  });
});

describe('the wording of a relay request', () => {
  const notificationOf = (topic: string, item: Record<string, unknown> = conversationItem([{ body: FIN_REPLY_HTML }])): IntercomNotification => ({ ...base, topic, data: { item } });

  it.each([
    ['conversation.operator.replied', 'send_fin_reply', "Fin's reply to jane@example.com on conversation #215467", 'Intercom Fin'],
    ['conversation.admin.replied', 'send_teammate_reply', 'Teammate reply to jane@example.com on conversation #215467', 'Intercom'],
    ['conversation.user.created', 'handle_new_conversation', 'New conversation #215467 from jane@example.com', 'Intercom'],
    ['conversation.user.replied', 'handle_customer_reply', 'Reply from jane@example.com on conversation #215467', 'Intercom'],
    ['conversation.admin.assigned', 'assign_conversation', 'Assign conversation #215467 with jane@example.com to morgan@acme.example', 'Intercom'],
  ])('%s: action %s, a readable summary and requester', (topic, action, summary, agentName) => {
    expect(relayRequest(notificationOf(topic), link)).toMatchObject({ action, summary, agentName });
  });

  it('names tickets by the number the inbox shows', () => {
    const ticket = { type: 'ticket', id: '494', ticket_id: '33', contacts: { contacts: [{ type: 'contact', id: 'c1', email: 'jane@example.com' }] }, ticket_parts: { ticket_parts: [{ body: '<p>The export is broken.</p>' }] } };
    expect(relayRequest(notificationOf('ticket.created', ticket), link)).toMatchObject({
      action: 'create_ticket',
      summary: 'New ticket #33 for jane@example.com',
      details: { conversationId: '494', contactEmail: 'jane@example.com', lastMessage: 'The export is broken.' },
    });
  });

  it('words an unknown topic from its name, and an unknown contact as the customer', () => {
    expect(relayRequest(notificationOf('conversation.rating.added', { id: '215467' }), link)).toMatchObject({
      action: 'handle_intercom_conversation_rating_added',
      summary: 'Intercom event "conversation rating added" on conversation #215467 with the customer',
      agentName: 'Intercom',
    });
  });

  it('follows the workspace\'s templates, filled from the notification on one line', () => {
    const templated = gateTopics(link, ['conversation.operator.replied'], { action: 'fin_refund_reply', summary: '{contactName} <{contactEmail}> ({assignedAdmin}): {lastMessage}' });
    expect(relayRequest(notificationOf('conversation.operator.replied'), templated)).toMatchObject({
      action: 'fin_refund_reply',
      summary: 'Jane Doe <jane@example.com> (morgan@acme.example): I can refund the $129.00 & cancel Premium for you. - A teammate approves the refund - The money is back in 5–10 days See our refund policy [https://example.com/refunds]. Thanks <3',
      agentName: 'Intercom Fin',
    });
    const long = relayRequest(notificationOf('conversation.operator.replied', conversationItem([{ body: `<p>${'refund '.repeat(500)}</p>` }])), templated);
    expect(long.summary).toMatch(/^Jane Doe <jane@example\.com> \(morgan@acme\.example\): (refund ){28}ref…$/);
    expect(long.details.lastMessage).toBe('refund '.repeat(500).trim());
    const noContact = relayRequest(notificationOf('conversation.operator.replied', { id: '1' }), templated);
    expect(noContact.summary).toBe('(no name) <(no email)> ((unassigned)): (no message)');
  });

  it('refuses a template with an unknown placeholder, a blank one, and one too long for a request', () => {
    const refusal = (template: Parameters<typeof checkTemplate>[0]) => {
      try {
        checkTemplate(template, 'conversation.operator.replied');
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(refusal({ summary: 'Refund for {customerEmail}' })).toMatchObject({ kind: 'bad_request', code: 'unknown_placeholder', message: expect.stringContaining('{customerEmail}') });
    expect(refusal({ action: '   ' })).toMatchObject({ kind: 'bad_request', code: 'invalid_template', details: { issues: [expect.objectContaining({ path: ['action'] })] } });
    expect(refusal({ action: 'x'.repeat(201) })).toMatchObject({ kind: 'bad_request', code: 'invalid_template' });
    expect(refusal({ action: 'send_{topic}', summary: '{contact} on #{conversationId}' })).toBeNull();
  });
});
