// Evaluating a workspace's policy for one request: the first rule whose `when` holds decides. Fail
// closed: a condition on a path that is missing, or a numeric comparison on something that is not a
// number, is false, so nothing unknown can match a rule (and so nothing unknown can auto-approve).
import type { ApprovalContext, DetailCondition, EligibleReviewers, HumanReview, JsonObject, PolicyDocument, PolicyOutcome, PolicyRule, PolicyWhen, RiskLevel } from '@countersign/shared';
import type { RequestReach } from './records';

/** What the policy looks at. */
export interface PolicyFacts {
  action: string;
  riskLevel: RiskLevel;
  context: ApprovalContext | null;
  agentName: string | null;
  details: JsonObject;
}

export interface PolicyVerdict {
  /** The rule that matched; null when none did (one approval by anyone in the workspace). */
  rule: PolicyRule | null;
  outcome: PolicyOutcome;
  /** For `human`: distinct eligible approvals that settle the request. */
  approvalsRequired: number;
  /** For `human`: who may decide; null is anyone in the workspace. */
  reviewers: EligibleReviewers | null;
  /** For an auto-decision: the rule's note. */
  note: string | null;
  /** For `human`: where to announce it and when to follow it up; absent when the rule says nothing of it. */
  reach?: RequestReach;
}

const NO_RULE: PolicyVerdict = { rule: null, outcome: 'human', approvalsRequired: 1, reviewers: null, note: null };

export function evaluatePolicy(policy: PolicyDocument, facts: PolicyFacts): PolicyVerdict {
  const rule = policy.rules.find((candidate) => matches(candidate.when, facts));
  if (!rule) return NO_RULE;
  const then = rule.then;
  if ('decide' in then) return { rule, outcome: then.decide, approvalsRequired: 0, reviewers: null, note: then.note ?? null };
  const reach = reachOf(then);
  return { rule, outcome: 'human', approvalsRequired: then.approvals, reviewers: then.reviewers ?? null, note: null, ...(reach ? { reach } : {}) };
}

function reachOf(then: HumanReview): RequestReach | null {
  const reach: RequestReach = {};
  if (then.notify) reach.notify = then.notify;
  if (then.remindAfterSeconds !== undefined) reach.remindAfterSeconds = then.remindAfterSeconds;
  if (then.escalateAfterSeconds !== undefined) reach.escalateAfterSeconds = then.escalateAfterSeconds;
  if (then.escalateTo) reach.escalateTo = then.escalateTo;
  return Object.keys(reach).length > 0 ? reach : null;
}

export function matches(when: PolicyWhen, facts: PolicyFacts): boolean {
  if (when.action !== undefined && !globMatches(when.action, facts.action)) return false;
  if (when.riskLevel !== undefined && !when.riskLevel.includes(facts.riskLevel)) return false;
  if (when.platform !== undefined && (facts.context?.platform ?? 'none') !== when.platform) return false;
  if (when.agentName !== undefined && facts.agentName !== when.agentName) return false;
  return (when.details ?? []).every((condition) => holds(condition, facts.details));
}

/** `*` stands for any run of characters; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  // Greedy-free scan: each middle part at its earliest place after the previous one.
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found === -1 || found + part.length > value.length - last.length) return false;
    at = found + part.length;
  }
  return true;
}

export function holds(condition: DetailCondition, details: JsonObject): boolean {
  const found = valueAt(details, condition.path);
  if (!found.present) return false;
  const value = found.value;
  if (condition.eq !== undefined) return same(value, condition.eq);
  // Fail closed here too: "not 0" of something that is not a number at all is not a fact to act on.
  if (condition.ne !== undefined) return (typeof condition.ne !== 'number' || numeric(value) !== null) && !same(value, condition.ne);
  if (condition.in !== undefined) return condition.in.some((candidate) => same(value, candidate));
  const actual = numeric(value);
  if (actual === null) return false;
  if (condition.lt !== undefined) return compare(actual, condition.lt, (a, b) => a < b);
  if (condition.lte !== undefined) return compare(actual, condition.lte, (a, b) => a <= b);
  if (condition.gt !== undefined) return compare(actual, condition.gt, (a, b) => a > b);
  if (condition.gte !== undefined) return compare(actual, condition.gte, (a, b) => a >= b);
  return false;
}

/** The value at a dotted path, own properties only; numeric segments index arrays. */
export function valueAt(details: JsonObject, path: string): { present: true; value: unknown } | { present: false } {
  let current: unknown = details;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment) || Number(segment) >= current.length) return { present: false };
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { present: false };
    }
  }
  return { present: true, value: current };
}

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A number, or a plain decimal string ("49.00", as Zendesk placeholders send them); else null. */
export function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return null;
}

function compare(actual: number, limit: number | string, op: (a: number, b: number) => boolean): boolean {
  const bound = numeric(limit);
  return bound !== null && op(actual, bound);
}

/** Equality as a reviewer means it: a number rule matches the same number written as a decimal string. */
function same(value: unknown, expected: string | number | boolean | null): boolean {
  if (typeof expected === 'number') {
    const actual = numeric(value);
    return actual !== null && actual === expected;
  }
  return value === expected;
}
