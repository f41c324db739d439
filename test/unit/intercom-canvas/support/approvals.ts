// Approval views as the backend answers them, with overridable fields.
import { ApprovalView } from '@countersign/shared';

let sequence = 0;

export function approvalView(overrides: Partial<ApprovalView> = {}): ApprovalView {
  sequence += 1;
  return ApprovalView.parse({
    approvalId: `apr_test${String(sequence).padStart(6, '0')}`,
    status: 'pending',
    action: 'process_refund',
    summary: 'Refund order #1234 for jane@example.com',
    details: { orderId: '1234', amount: 49.99, currency: 'EUR', notifyCustomer: true, items: [{ sku: 'A-1', qty: 2 }] },
    riskLevel: 'high',
    priority: 'normal',
    justification: 'The customer was charged twice.',
    agentName: 'Fin',
    metadata: null,
    context: { platform: 'intercom', conversationId: '215467' },
    modifiedDetails: null,
    decisionNote: null,
    decidedBy: null,
    decidedAt: null,
    createdAt: '2026-11-23T18:52:00.000Z',
    expiresAt: '2026-11-24T18:52:00.000Z',
    ...overrides,
  });
}

export function decidedView(status: 'approved' | 'rejected', overrides: Partial<ApprovalView> = {}): ApprovalView {
  return approvalView({
    status,
    decidedBy: { id: '991267696', name: 'Ana Teammate', email: 'ana@example.com', via: 'intercom' },
    decidedAt: '2026-11-23T19:00:00.000Z',
    ...overrides,
  });
}
