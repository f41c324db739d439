// The playground's sample ticket, its agent, and the seed payloads (000 and 001) filled in for it.
import type { IntakeInput } from '@countersign/shared';

export const SAMPLE_TICKET = {
  id: 9921,
  subject: 'Please refund my Premium plan and cancel it',
  status: 'open',
  priority: 'high',
  requester: { id: 5001, name: 'Jordan Rivera', email: 'jordan.rivera@example.com' },
  description: 'I was charged $129.00 for Premium this month but asked to cancel last week. Please refund and cancel.',
  comments: [
    { author: 'Jordan Rivera', at: '2026-11-23T09:12:00Z', body: 'I was charged $129.00 for Premium this month but asked to cancel last week. Please refund and cancel.' },
    { author: 'AI agent', at: '2026-11-23T09:12:30Z', body: 'I am sorry about that. I have asked a teammate to approve the refund and the cancellation.' },
  ],
};

export const SAMPLE_AGENT = { id: 1001, name: 'Avery Agent', email: 'avery@example.com', locale: 'en' };

export const SEED_NAMES = ['refund', 'cancellation'] as const;
export type SeedName = (typeof SEED_NAMES)[number];

/** Seed 001's AI agent waits for the synchronous answer this long, at most (the server caps it further). */
export const SEED_001_WAIT_MS = 25_000;

export interface SeedOptions {
  /** Seed 001's hold: SEED_001_WAIT_MS within the server's cap. */
  maxWaitMs: number;
  /** The page's tag on a seed 001 request (metadata), so it can find the request it is waiting on. */
  run?: string;
}

/** Seed 000's Zendesk trigger body and seed 001's AI-agent body, as the placeholders would render. */
export function seedPayload(seed: SeedName, callbackUrl: string, options: SeedOptions): IntakeInput {
  const ticket = SAMPLE_TICKET;
  if (seed === 'refund') {
    return {
      action: 'process_refund',
      summary: `Refund request on ticket #${ticket.id} — ${ticket.requester.name}`,
      riskLevel: 'high',
      details: {
        ticketId: String(ticket.id),
        subject: ticket.subject,
        requester: ticket.requester.email,
        amount: '129.00',
        assistantNote: ticket.comments[1]!.body,
      },
      webhookUrl: callbackUrl,
    };
  }
  return {
    action: 'cancel_subscription',
    summary: "AI Agent requesting cancellation for 'Premium' plan",
    details: { ticket_id: String(ticket.id), subscription_id: 'sub_5521', churn_reason: 'Price too high' },
    justification: 'User explicitly asked to cancel after being offered a discount.',
    callbackUrl,
    // The AI agent's flow waits for the synchronous answer, as seed 001 sets it up.
    maxWaitMs: options.maxWaitMs,
    ...(options.run ? { metadata: { playgroundRun: options.run } } : {}),
  };
}
