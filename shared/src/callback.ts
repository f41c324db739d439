// The body POSTed to an automation's callback URL, and the audit trail readers see.
import { z } from 'zod';
import { ApprovalVoteView, ContextSchema, PolicyRequirementView, RiskLevelSchema } from './approval';
import { isoTimestamp } from './fields';
import { DetailChangeSchema } from './detail-changes';

export const CALLBACK_STATUSES = ['APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const;

export const CallbackBody = z.object({
  type: z.literal('approval.decided'),
  approvalId: z.string(),
  action: z.string(),
  status: z.enum(CALLBACK_STATUSES),
  details: z.record(z.string(), z.unknown()),
  /** Complete, as seed 000's handler runs `modifiedDetails ?? details`; null when nothing changed. */
  modifiedDetails: z.record(z.string(), z.unknown()).nullable(),
  changes: z.array(DetailChangeSchema).default([]),
  decisionNote: z.string().nullable(),
  decidedBy: z
    .object({ id: z.string(), name: z.string(), email: z.string().optional(), via: z.string() })
    .nullable(),
  decidedAt: isoTimestamp,
  riskLevel: RiskLevelSchema,
  context: ContextSchema.nullable(),
  /** The policy's requirement, and the approvals that met it (additive; seed 000's handler ignores them). */
  policy: PolicyRequirementView.nullable().default(null),
  approvals: z.array(ApprovalVoteView).default([]),
});
export type CallbackBody = z.infer<typeof CallbackBody>;

export const AuditEventView = z.object({
  id: z.string(),
  type: z.string(),
  at: isoTimestamp,
  data: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditTrail = z.object({ items: z.array(AuditEventView) });
export type AuditTrail = z.infer<typeof AuditTrail>;
