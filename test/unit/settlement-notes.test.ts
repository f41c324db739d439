// The notes written back to Zendesk tickets and Intercom conversations: the changes come from the
// shared list, and nothing repeated from the request keeps bidi controls.
import { describe, expect, it } from 'vitest';
import { conversationNoteBody } from '@countersign/server/integrations/intercom';
import { ticketNoteBody } from '@countersign/server/integrations/zendesk';
import type { ApprovalRecord } from '@countersign/server/approvals';

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const SPOOF = '\u2067acct moc.live@\u202Eenaj\u2069\u200f';

function settled(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  const at = Date.parse('2026-11-23T18:02:10.112Z');
  return {
    id: 'apr_01m84s3ssrr83ea26r2ar2de9p', workspaceId: 'ws_1', status: 'approved', action: `refund${SPOOF}`, summary: `Summary ${SPOOF}`,
    details: { ticketId: '4512', amount: '49.00', address: { city: 'Oslo' }, coupon: 'X' }, riskLevel: 'high', priority: 'normal',
    justification: null, agentName: null, metadata: null, context: { platform: 'zendesk', ticketId: '4512' }, callbackUrl: null,
    createdAt: at, updatedAt: at, expiresAt: at + 1000, decidedAt: at, decidedBy: { id: '7', name: `Ana ${SPOOF}`, via: 'intercom' },
    decisionNote: `Note ${SPOOF}`, modifiedDetails: { ticketId: '4512', amount: '25.00', address: { city: SPOOF }, gift: true },
    idempotencyKey: null, requestHash: null, createdByKeyId: null, version: 1, requestedBy: null, requirement: null, approvals: [], ...overrides,
  };
}

describe('settlement notes', () => {
  it('list every change by path, added and removed ones too, without bidi controls (Zendesk)', () => {
    const body = (JSON.parse(ticketNoteBody(settled())) as { ticket: { comment: { body: string } } }).ticket.comment.body;
    expect(body).not.toMatch(BIDI);
    expect(body).toContain('Countersign: "refundacct moc.live@enaj" approved');
    expect(body).toContain('Approved by Ana acct moc.live@enaj via Intercom');
    expect(body).toContain('Note: Note acct moc.live@enaj');
    expect(body.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- amount: "49.00" → "25.00"',
      '- address.city: "Oslo" → "acct moc.live@enaj"',
      '- coupon: "X" → (removed)',
      '- gift: (none) → true',
    ]);
  });

  it('strip bidi controls from the Intercom note too', () => {
    const body = (JSON.parse(conversationNoteBody(settled({ context: { platform: 'intercom', conversationId: '215470' } }), '7001')) as { body: string }).body;
    expect(body).not.toMatch(BIDI);
    expect(body).toContain('address.city');
  });
});
