// The intake body every load run sends: the refund request of the product's seed documents.
import type { IntakeInput } from '@countersign/shared';

export const SEED_INTAKE_BODY = {
  action: 'process_refund',
  summary: 'Refund request on ticket #4512 — Jane Doe',
  riskLevel: 'high',
  details: {
    ticketId: '4512',
    subject: 'Refund please',
    requester: 'jane@example.com',
    amount: '49.00',
    assistantNote: 'Customer asked for a refund of the duplicate charge.',
  },
} as const satisfies IntakeInput;
