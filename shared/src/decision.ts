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
    reviewer: ReviewerSchema,
  })
  .refine((body) => body.decision === 'approve' || body.modifiedDetails === undefined, {
    error: 'modifiedDetails can only accompany an approval',
    path: ['modifiedDetails'],
  });
export type DecisionInput = z.input<typeof DecisionBody>;
export type DecisionRequest = z.output<typeof DecisionBody>;
