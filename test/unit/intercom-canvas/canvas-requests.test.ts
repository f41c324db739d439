// The incoming initialize/submit bodies: loose where Intercom adds fields, strict where the app reads.
import { describe, expect, it } from 'vitest';
import { InitializeRequest, SubmitRequest, conversationIdOf, readCanvasState, storedDataCandidates } from '@countersign/intercom-canvas';

const admin = { type: 'admin', id: '991267696', name: 'Ana', email: 'ana@example.com', away_mode_enabled: false, avatar: { image_url: null } };

describe('Canvas Kit request bodies', () => {
  it('read a documented Inbox initialize body, extra fields included, numeric ids as strings', () => {
    const parsed = InitializeRequest.parse({
      workspace_id: 'abcd123',
      workspace_region: 'us',
      admin: { ...admin, id: 991267696 },
      conversation: { type: 'conversation', id: 215467, created_at: 1700000000, source: { body: '<p>hi</p>' } },
      contact: { type: 'user', id: 'c1' },
      something_new: { from: 'intercom' },
    });
    expect(parsed.admin.id).toBe('991267696');
    expect(conversationIdOf(parsed)).toBe('215467');
  });

  it('allow a missing conversation and contact; fall back to context.conversation_id', () => {
    expect(conversationIdOf(InitializeRequest.parse({ workspace_id: 'w', admin }))).toBeNull();
    expect(conversationIdOf(InitializeRequest.parse({ workspace_id: 'w', admin, context: { conversation_id: 77, location: 'conversation' } }))).toBe('77');
  });

  it.each([
    ['no workspace_id', { admin }],
    ['an empty workspace_id', { workspace_id: ' ', admin }],
    ['no admin', { workspace_id: 'w' }],
    ['an admin without id', { workspace_id: 'w', admin: { name: 'Ana' } }],
    ['a negative admin id', { workspace_id: 'w', admin: { id: -1 } }],
    ['a conversation without id', { workspace_id: 'w', admin, conversation: { type: 'conversation' } }],
    ['an array body', [1, 2]],
  ])('refuse %s', (_name, body) => {
    expect(InitializeRequest.safeParse(body).success).toBe(false);
  });

  it('tolerate malformed fields the app does not rely on', () => {
    const parsed = InitializeRequest.parse({ workspace_id: 'w', admin: { id: '1', name: 42, email: ['x'] }, contact: 'odd', context: 7 });
    expect(parsed.admin.name).toBeUndefined();
    expect(parsed.admin.email).toBeUndefined();
  });

  it('submit needs component_id; input_values may be absent', () => {
    expect(SubmitRequest.safeParse({ workspace_id: 'w', admin }).success).toBe(false);
    expect(SubmitRequest.parse({ workspace_id: 'w', admin, component_id: 'refresh' }).input_values).toBeUndefined();
  });

  it.each([
    ['inside current_canvas (the docs)', { current_canvas: { content: { components: [] }, stored_data: { v: 1, view: 'detail', approvalId: 'apr_1', conversationId: '9' } } }],
    ['inside current_canvas.current_canvas (the OpenAPI schema)', { current_canvas: { current_canvas: { content: { components: [] }, stored_data: { v: 1, view: 'detail', approvalId: 'apr_1', conversationId: '9' } } } }],
    ['at the top level', { stored_data: { v: 1, view: 'detail', approvalId: 'apr_1', conversationId: '9' } }],
  ])('find stored_data %s', (_where, place) => {
    const request = SubmitRequest.parse({ workspace_id: 'w', admin, component_id: 'back', ...place });
    expect(readCanvasState(storedDataCandidates(request))).toEqual({ v: 1, view: 'detail', approvalId: 'apr_1', conversationId: '9' });
  });

  it('ignore stored_data this app did not write', () => {
    const request = SubmitRequest.parse({ workspace_id: 'w', admin, component_id: 'back', stored_data: { key: 'value' }, current_canvas: { stored_data: 'odd' } });
    expect(readCanvasState(storedDataCandidates(request))).toBeNull();
  });
});
