// A reviewer's decision on a pending approval.
import { z } from 'zod';
import { jsonObject } from './fields';
import { ReviewerSchema } from './approval';

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    /** A JSON merge patch (RFC 7396) over the details: what the reviewer changed, null removing a key. */
    modifiedDetails: jsonObject('modifiedDetails').optional(),
    note: z.string().trim().max(5000).optional(),
    /**
     * Who decides, for a delegating key (required there); a personal key may repeat its own person.
     * Every other credential proves its reviewer itself, and a body may only ever speak for "api".
     */
    reviewer: ReviewerSchema.optional(),
  })
  .refine((body) => body.decision === 'approve' || body.modifiedDetails === undefined, {
    error: 'modifiedDetails can only accompany an approval',
    path: ['modifiedDetails'],
  });
export type DecisionInput = z.input<typeof DecisionBody>;
export type DecisionRequest = z.output<typeof DecisionBody>;
