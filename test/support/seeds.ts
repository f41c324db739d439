// The product brief's payloads (../shared/seeds), verbatim.

/** Seed 000: the Zendesk trigger body, placeholders and all. */
export const seed000ZendeskTrigger = {
  action: 'process_refund',
  summary: 'Refund request on ticket #{{ticket.id}} — {{ticket.requester.name}}',
  riskLevel: 'high',
  details: {
    ticketId: '{{ticket.id}}',
    subject: '{{ticket.title}}',
    requester: '{{ticket.requester.email}}',
    amount: '{{ticket.ticket_field_option_title_360001234567}}',
    assistantNote: '{{ticket.latest_comment}}',
  },
  webhookUrl: 'https://yourapp.com/zendesk/decision-callback',
};

/** Seed 000's trigger body as Zendesk sends it once placeholders are filled in. */
export function seed000Filled(ticketId: string, webhookUrl: string) {
  return {
    ...seed000ZendeskTrigger,
    summary: `Refund request on ticket #${ticketId} — Jane Doe`,
    details: {
      ticketId,
      subject: 'Charged twice for my order',
      requester: 'jane@example.com',
      amount: '49.00',
      assistantNote: 'Customer shows two identical charges on 12 Nov; refund the duplicate.',
    },
    webhookUrl,
  };
}

/** Seed 000: the body the Intercom relay handler builds from a webhook event. */
export function seed000IntercomRelay(conversationId: string, webhookUrl: string) {
  return {
    action: 'intercom_action',
    summary: `Fin wants to conversation.user.created on conversation ${conversationId}`,
    riskLevel: 'medium',
    details: {
      conversationId,
      contactEmail: 'sam@example.com',
      assignedAdmin: 'lee@example.com',
      lastMessage: '<p>Please cancel my plan</p>',
    },
    webhookUrl,
  };
}

/** Seed 001: the AI agent's sample request payload. */
export const seed001Sample = {
  action: 'cancel_subscription',
  summary: "AI Agent requesting cancellation for 'Premium' plan",
  details: {
    ticket_id: '9921',
    subscription_id: 'sub_5521',
    churn_reason: 'Price too high',
  },
  justification: 'User explicitly asked to cancel after being offered a discount.',
};

/** Seed 001: the async variant with a callbackUrl. */
export const seed001Async = {
  action: 'cancel_subscription',
  summary: "AI Agent requesting cancellation for 'Premium' plan",
  details: { ticket_id: '9921', subscription_id: 'sub_5521' },
  callbackUrl: 'https://your-backend.example.com/cheqpoint/callback',
};

/**
 * Seed 000's decision callback handler, verbatim apart from its two side effects being passed in.
 * Tests run the callback body through it to prove the contract works for existing receivers.
 */
export async function seed000DecisionHandler(
  body: any,
  processRefund: (details: any) => Promise<void>,
  updateTicket: (ticketId: string, text: string) => Promise<void>,
): Promise<void> {
  const details = body.modifiedDetails ?? body.details;
  if (body.status === 'APPROVED') {
    await processRefund(details);
    await updateTicket(details.ticketId, 'Refund processed.');
  } else {
    await updateTicket(details.ticketId, 'Action declined: ' + body.decisionNote);
  }
}
