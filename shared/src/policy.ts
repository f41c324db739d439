// A workspace's policy: who may decide what, how many must agree, and what needs no human at all.
// Rules are tried in order; the first whose `when` holds decides. The document is the contract of
// GET/PUT /api/policy and of the admin CLI's `policy set --file`.
import { z } from 'zod';
import { isoTimestamp } from './fields';
import { RISK_LEVELS } from './levels';

export const MAX_POLICY_RULES = 200;
export const MAX_APPROVALS_REQUIRED = 5;

const DETAIL_PATH = /^[^.\s]+(\.[^.\s]+)*$/;
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A value a comparison may hold: what Zendesk placeholders and automations put in details. */
const Scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
const NumberLike = z.union([z.number().finite(), z.string().regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, 'a number, or a plain decimal string like "49.00"')]);

const COMPARATORS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** One comparison on a dotted path into the details ("amount", "customer.tier", "items.0.sku"). */
export const DetailCondition = z
  .strictObject({
    path: z.string().min(1).max(200).regex(DETAIL_PATH, 'a dotted path into the details, like "amount" or "customer.tier"'),
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    in: z.array(Scalar).min(1).max(100).optional(),
    lt: NumberLike.optional(),
    lte: NumberLike.optional(),
    gt: NumberLike.optional(),
    gte: NumberLike.optional(),
  })
  .refine((c) => COMPARATORS.filter((op) => c[op] !== undefined).length === 1, {
    error: `each condition takes exactly one of ${COMPARATORS.join(', ')}`,
  });
export type DetailCondition = z.infer<typeof DetailCondition>;

export const PolicyWhen = z.strictObject({
  /** The action exactly, or a glob where `*` stands for any run of characters ("refund_*"). */
  action: z.string().trim().min(1).max(200).optional(),
  riskLevel: z.array(z.enum(RISK_LEVELS)).min(1).max(RISK_LEVELS.length).optional(),
  platform: z.enum(['zendesk', 'intercom', 'none']).optional(),
  agentName: z.string().trim().min(1).max(200).optional(),
  details: z.array(DetailCondition).min(1).max(50).optional(),
});
export type PolicyWhen = z.infer<typeof PolicyWhen>;

const idList = (what: string) => z.array(z.string().trim().min(1).max(320)).min(1).max(200).describe(what).optional();

/** Who may decide; any one match makes a reviewer eligible. */
export const EligibleReviewers = z
  .strictObject({
    /** `via:id`, as decidedBy says it: "api:admin", "zendesk:381", "intercom:991267696", "slack:U123". */
    ids: z.array(z.string().trim().regex(/^(api|zendesk|intercom|slack):[^\s:][^\s]{0,127}$/, 'like "zendesk:381" (via:id)')).min(1).max(200).optional(),
    emails: z.array(z.string().trim().max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address')).min(1).max(200).optional(),
    zendeskGroups: idList('Zendesk group ids'),
    /** Zendesk roles ("admin", "agent") or custom role ids. */
    zendeskRoles: idList('Zendesk roles or custom role ids'),
    intercomTeams: idList('Intercom team ids'),
  })
  .refine((r) => Object.values(r).some((list) => list !== undefined), { error: 'name at least one kind of reviewer (ids, emails, zendeskGroups, zendeskRoles, intercomTeams)' });
export type EligibleReviewers = z.infer<typeof EligibleReviewers>;

/** Settled at intake by the policy, with no human. */
export const AutoDecision = z.strictObject({
  decide: z.enum(['approve', 'reject']),
  note: z.string().trim().min(1).max(2000).optional(),
});

/** Longest a reminder or an escalation may wait: a request older than this has long been seen or expired. */
export const MAX_FOLLOW_UP_SECONDS = 30 * 86_400;

/** A Slack channel by its id (C…, G… or D…), as Slack's API takes it: names can change, ids do not. */
export const SlackChannelRef = z.strictObject({
  slack: z.string().trim().regex(/^[CGD][A-Z0-9]{2,31}$/, 'a Slack channel id like C0123ABCD (not its #name)'),
});
export type SlackChannelRef = z.infer<typeof SlackChannelRef>;

const followUpSeconds = z.number().int().min(1).max(MAX_FOLLOW_UP_SECONDS);

/** A human decides: how many distinct eligible reviewers must approve, and who is eligible. */
export const HumanReview = z
  .strictObject({
    approvals: z.number().int().min(1).max(MAX_APPROVALS_REQUIRED).default(1),
    reviewers: EligibleReviewers.optional(),
    /** Where the request is announced instead of the workspace's linked Slack channel. */
    notify: SlackChannelRef.optional(),
    /** Still pending this long after it came in: a reminder in the request's Slack thread. */
    remindAfterSeconds: followUpSeconds.optional(),
    /** Still pending this long after it came in: the request is posted to `escalateTo`. */
    escalateAfterSeconds: followUpSeconds.optional(),
    escalateTo: SlackChannelRef.optional(),
  })
  .superRefine((then, ctx) => {
    if (then.escalateAfterSeconds !== undefined && then.escalateTo === undefined) ctx.addIssue({ code: 'custom', path: ['escalateTo'], message: 'escalateAfterSeconds needs escalateTo: {"slack": "C…"}, the channel to escalate to' });
    if (then.escalateTo !== undefined && then.escalateAfterSeconds === undefined) ctx.addIssue({ code: 'custom', path: ['escalateAfterSeconds'], message: 'escalateTo needs escalateAfterSeconds, how long to wait before escalating' });
  });
export type HumanReview = z.output<typeof HumanReview>;

export const PolicyRule = z.strictObject({
  id: z.string().regex(RULE_ID, 'letters, digits, "-", "_" or ".", at most 64'),
  when: PolicyWhen.default({}),
  then: z.union([AutoDecision, HumanReview]),
});
export type PolicyRule = z.output<typeof PolicyRule>;

export const PolicyDocument = z
  .strictObject({ rules: z.array(PolicyRule).max(MAX_POLICY_RULES) })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is used twice` });
      seen.add(rule.id);
    });
  });
export type PolicyInput = z.input<typeof PolicyDocument>;
export type PolicyDocument = z.output<typeof PolicyDocument>;

/** What GET and PUT /api/policy answer. Version 0 is the empty policy every workspace starts with. */
export const PolicyView = z.object({
  version: z.number().int().nonnegative(),
  updatedAt: isoTimestamp.nullable(),
  rules: z.array(PolicyRule),
});
export type PolicyView = z.infer<typeof PolicyView>;

/** POST /api/policy/test: a candidate policy over the workspace's past requests, nothing written. */
export const PolicyTestBody = z.strictObject({
  policy: PolicyDocument,
  /** How far back, as a duration ("30d", "12h"); default 30 days. */
  since: z.string().trim().regex(/^\d{1,4}(m|h|d)$/, 'a duration like 30d, 12h or 90m').optional(),
});
export type PolicyTestInput = z.input<typeof PolicyTestBody>;

export const POLICY_OUTCOMES = ['approve', 'reject', 'human'] as const;
export type PolicyOutcome = (typeof POLICY_OUTCOMES)[number];

export const PolicyTestResult = z.object({
  evaluated: z.number().int(),
  since: isoTimestamp,
  outcomes: z.object({ approve: z.number().int(), reject: z.number().int(), human: z.number().int() }),
  /** Rule by rule, in the policy's order; `null` is "no rule matched" (one approval by anyone). */
  byRule: z.array(z.object({ ruleId: z.string().nullable(), approve: z.number().int(), reject: z.number().int(), human: z.number().int() })),
  /** Requests that would have ended differently: auto-decided otherwise than they were. */
  changed: z.array(z.object({
    approvalId: z.string(),
    action: z.string(),
    riskLevel: z.enum(RISK_LEVELS),
    actual: z.string(),
    wouldBe: z.enum(POLICY_OUTCOMES),
    ruleId: z.string().nullable(),
  })),
  /** More requests than the answer lists changed. */
  changedTruncated: z.boolean(),
});
export type PolicyTestResult = z.infer<typeof PolicyTestResult>;
