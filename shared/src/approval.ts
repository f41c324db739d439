// The approval request: what an automation submits and what every reader gets back.
import { z } from 'zod';
import { EligibleReviewers } from './policy';
import { APPROVAL_STATUSES } from './status';
import { callbackUrl, caseInsensitiveEnum, isoTimestamp, jsonObject, platformId } from './fields';
import { DetailChangeSchema } from './detail-changes';
import { PRIORITIES, RISK_LEVELS } from './levels';

export { PRIORITIES, RISK_LEVELS } from './levels';

export const REVIEWER_CHANNELS = ['zendesk', 'intercom', 'api', 'slack', 'policy'] as const;

export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);
export const RiskLevelSchema = z.enum(RISK_LEVELS);
export const PrioritySchema = z.enum(PRIORITIES);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;
export type Priority = z.infer<typeof PrioritySchema>;

/** Where the request came from: a Zendesk ticket or an Intercom conversation. */
export const ContextInput = z.discriminatedUnion('platform', [
  z.strictObject({ platform: z.literal('zendesk'), ticketId: platformId }),
  z.strictObject({ platform: z.literal('intercom'), conversationId: platformId }),
]);
export const ContextSchema = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('zendesk'), ticketId: z.string() }),
  z.object({ platform: z.literal('intercom'), conversationId: z.string() }),
]);
export type ApprovalContext = z.infer<typeof ContextSchema>;

export const MAX_EXPIRES_IN_SECONDS = 30 * 24 * 3600;

/** Empty strings (a placeholder with nothing behind it) count as absent. */
const blankAsAbsent = (schema: z.ZodType<string | undefined>) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const RequestedByInput = z
  .strictObject({
    id: blankAsAbsent(platformId.optional() as z.ZodType<string | undefined>).optional(),
    email: blankAsAbsent(z.string().trim().max(320).refine((v) => /^[^\s@]+@[^\s@]+$/.test(v), { error: 'email must look like name@domain' }).optional()).optional(),
  })
  .transform((r) => (r.id === undefined && r.email === undefined ? null : { ...(r.id !== undefined ? { id: r.id } : {}), ...(r.email !== undefined ? { email: r.email } : {}) }));

/**
 * POST /api/webhooks/inbound. Seed 000/001 bodies validate verbatim. Unknown top-level fields are
 * ignored rather than refused: automations built for similar products send extras, and refusing
 * them would block an action for no safety gain.
 */
export const IntakeBody = z
  .object({
    action: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(2000),
    details: jsonObject('details'),
    riskLevel: caseInsensitiveEnum(RISK_LEVELS).nullish().transform((v) => v ?? 'medium'),
    priority: caseInsensitiveEnum(PRIORITIES).nullish().transform((v) => v ?? 'normal'),
    justification: z.string().max(10_000).nullish(),
    webhookUrl: callbackUrl.nullish(),
    callbackUrl: callbackUrl.nullish(),
    maxWaitMs: z.number().int().nonnegative().nullish(),
    expiresInSeconds: z.number().int().min(1).max(MAX_EXPIRES_IN_SECONDS).nullish(),
    agentName: z.string().trim().max(200).nullish(),
    metadata: jsonObject('metadata').nullish(),
    context: ContextInput.nullish(),
    /** Who asked for the action (a Zendesk trigger can send {"email": "{{current_user.email}}"}): they may not decide it. */
    requestedBy: RequestedByInput.nullish(),
  })
  .refine((body) => !(body.webhookUrl && body.callbackUrl && body.webhookUrl !== body.callbackUrl), {
    error: 'webhookUrl and callbackUrl are aliases; when both are given they must be equal',
    path: ['callbackUrl'],
  });
export type IntakeInput = z.input<typeof IntakeBody>;
export type IntakeRequest = z.output<typeof IntakeBody>;

export const ReviewerSchema = z.strictObject({
  id: platformId,
  name: z.string().trim().min(1).max(200),
  email: z
    .string()
    .trim()
    .max(320)
    .refine((v) => /^[^\s@]+@[^\s@]+$/.test(v), { error: 'email must look like name@domain' })
    .optional(),
  via: z.enum(REVIEWER_CHANNELS),
});
export type Reviewer = z.output<typeof ReviewerSchema>;

const ReviewerView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  via: z.enum(REVIEWER_CHANNELS),
});

export const ApprovalVoteView = z.object({ reviewer: ReviewerView, at: isoTimestamp });

/** What the policy required of a request when it came in. */
export const PolicyRequirementView = z.object({
  /** The rule that matched; null when none did (one approval by anyone in the workspace). */
  ruleId: z.string().nullable(),
  version: z.number().int().nonnegative(),
  approvalsRequired: z.number().int().nonnegative(),
  /** Who may decide; null is anyone in the workspace. */
  reviewers: EligibleReviewers.nullable().default(null),
});
export type PolicyRequirementView = z.infer<typeof PolicyRequirementView>;

/** What every endpoint answers about an approval. Fields are only ever added to this, never renamed. */
export const ApprovalView = z.object({
  approvalId: z.string(),
  status: ApprovalStatusSchema,
  action: z.string(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  riskLevel: RiskLevelSchema,
  priority: PrioritySchema,
  justification: z.string().nullable(),
  agentName: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  context: ContextSchema.nullable(),
  /** The complete details the approval was given with (a decision sends a merge patch); null when unchanged. */
  modifiedDetails: z.record(z.string(), z.unknown()).nullable(),
  /** What the reviewer changed, details → modifiedDetails; [] when nothing changed. Absent from older servers. */
  changes: z.array(DetailChangeSchema).default([]),
  decisionNote: z.string().nullable(),
  decidedBy: ReviewerView.nullable(),
  decidedAt: isoTimestamp.nullable(),
  createdAt: isoTimestamp,
  expiresAt: isoTimestamp,
  /** The policy's requirement (null for requests older than policies). Absent from older servers. */
  policy: PolicyRequirementView.nullable().default(null),
  /** Approvals by distinct eligible reviewers so far; the Nth settles the request. */
  approvals: z.array(ApprovalVoteView).default([]),
  requestedBy: z.object({ id: z.string().optional(), email: z.string().optional() }).nullable().default(null),
  /** On reviewers' reads: whether this caller may decide it now, and if not, why. */
  canDecide: z.boolean().optional(),
  cannotDecideReason: z.string().nullable().optional(),
  /**
   * The reason's error code (reviewer_not_eligible, self_approval, already_approved, reviewer_unverified,
   * not_pending, …), so apps can word a headline in their own language. A string, not an enum: a newer
   * server's code must not make an older app refuse the whole answer.
   */
  cannotDecideCode: z.string().nullable().optional(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

export const MAX_PAGE_SIZE = 100;

export const ListQuery = z.strictObject({
  status: ApprovalStatusSchema.optional(),
  ticketId: z.string().trim().min(1).max(128).optional(),
  conversationId: z.string().trim().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: z.string().min(1).max(512).optional(),
});
export type ListQueryInput = z.input<typeof ListQuery>;

/**
 * GET /api/approvals/stream. `session` is a Zendesk agent's reviewer session for clients that cannot
 * send headers (a browser EventSource); `lastEventId` resumes like the Last-Event-ID header.
 */
export const StreamQuery = z.strictObject({
  ticketId: z.string().trim().min(1).max(128).optional(),
  conversationId: z.string().trim().min(1).max(128).optional(),
  session: z.string().min(1).max(4096).optional(),
  lastEventId: z.string().regex(/^\d{1,15}$/, 'a stream event id: digits').optional(),
});
export type StreamQueryInput = z.input<typeof StreamQuery>;
/** The stream's event names; `data` is the ApprovalView (with canDecide). */
export const STREAM_EVENTS = ['approval.created', 'approval.updated'] as const;

export const ApprovalPage = z.object({
  items: z.array(ApprovalView),
  nextCursor: z.string().nullable(),
});
export type ApprovalPage = z.infer<typeof ApprovalPage>;

export const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
export type CancelInput = z.input<typeof CancelBody>;
