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

/**
 * Rules compiled once per policy document (the Policies service hands out the same document object
 * for as long as its version is in force): globs split, paths split, bounds parsed. Intake evaluates
 * every rule before the one that matches, so this is on every request's path.
 */
const compiled = new WeakMap<PolicyDocument, Array<{ rule: PolicyRule; test: Test }>>();

export function evaluatePolicy(policy: PolicyDocument, facts: PolicyFacts): PolicyVerdict {
  let rules = compiled.get(policy);
  if (!rules) {
    rules = policy.rules.map((rule) => ({ rule, test: compileWhen(rule.when) }));
    compiled.set(policy, rules);
  }
  const details = new DetailReader(facts.details);
  const rule = rules.find((candidate) => candidate.test(facts, details))?.rule;
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
  return compileWhen(when)(facts, new DetailReader(facts.details));
}

/** `*` stands for any run of characters; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  return compileGlob(pattern)(value);
}

export function holds(condition: DetailCondition, details: JsonObject): boolean {
  return compileCondition(condition)(new DetailReader(details));
}

type Test = (facts: PolicyFacts, details: DetailReader) => boolean;

function compileWhen(when: PolicyWhen): Test {
  const tests: Test[] = [];
  if (when.action !== undefined) {
    const action = compileGlob(when.action);
    tests.push((facts) => action(facts.action));
  }
  if (when.riskLevel !== undefined) {
    const levels: readonly RiskLevel[] = when.riskLevel;
    tests.push((facts) => levels.includes(facts.riskLevel));
  }
  if (when.platform !== undefined) {
    const platform = when.platform;
    tests.push((facts) => (facts.context?.platform ?? 'none') === platform);
  }
  if (when.agentName !== undefined) {
    const agentName = when.agentName;
    tests.push((facts) => facts.agentName === agentName);
  }
  for (const condition of when.details ?? []) {
    const test = compileCondition(condition);
    tests.push((_facts, details) => test(details));
  }
  return (facts, details) => tests.every((test) => test(facts, details));
}

function compileGlob(pattern: string): (value: string) => boolean {
  if (!pattern.includes('*')) return (value) => value === pattern;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1);
  return (value) => {
    if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
    // Greedy-free scan: each middle part at its earliest place after the previous one (no regular
    // expression, whose backtracking a pattern of many stars could make explode).
    let at = first.length;
    for (const part of middle) {
      const found = value.indexOf(part, at);
      if (found === -1 || found + part.length > value.length - last.length) return false;
      at = found + part.length;
    }
    return true;
  };
}

function compileCondition(condition: DetailCondition): (details: DetailReader) => boolean {
  const path = compilePath(condition.path);
  const test = compileComparison(condition);
  return (details) => {
    const found = details.at(path);
    return found !== MISSING && test(found);
  };
}

function compileComparison(condition: DetailCondition): (found: Found) => boolean {
  if (condition.eq !== undefined) {
    const expected = condition.eq;
    return typeof expected === 'number' ? (found) => found.number() === expected : (found) => found.value === expected;
  }
  if (condition.ne !== undefined) {
    const expected = condition.ne;
    // Fail closed here too: "not 0" of something that is not a number at all is not a fact to act on.
    return typeof expected === 'number' ? (found) => { const actual = found.number(); return actual !== null && actual !== expected; } : (found) => found.value !== expected;
  }
  if (condition.in !== undefined) {
    const numbers = new Set(condition.in.filter((candidate): candidate is number => typeof candidate === 'number'));
    const others = new Set<unknown>(condition.in.filter((candidate) => typeof candidate !== 'number'));
    // A number matches the same number written as a decimal string; anything else matches exactly.
    return (found) => others.has(found.value) || (numbers.size > 0 && numbers.has(found.number() as number));
  }
  const bound = numeric(condition.lt ?? condition.lte ?? condition.gt ?? condition.gte);
  if (bound === null) return () => false;
  if (condition.lt !== undefined) return (found) => { const actual = found.number(); return actual !== null && actual < bound; };
  if (condition.lte !== undefined) return (found) => { const actual = found.number(); return actual !== null && actual <= bound; };
  if (condition.gt !== undefined) return (found) => { const actual = found.number(); return actual !== null && actual > bound; };
  return (found) => { const actual = found.number(); return actual !== null && actual >= bound; };
}

interface CompiledPath {
  key: string;
  segments: Array<{ name: string; index: number | null }>;
}

function compilePath(path: string): CompiledPath {
  return { key: path, segments: path.split('.').map((name) => ({ name, index: /^\d+$/.test(name) ? Number(name) : null })) };
}

/** A value found in the details, its number read at most once. */
class Found {
  private parsed: number | null | undefined;
  constructor(readonly value: unknown) {}

  number(): number | null {
    if (this.parsed === undefined) this.parsed = numeric(this.value);
    return this.parsed;
  }
}

const MISSING = new Found(undefined);

/** One request's details as the rules read them: each path looked up once, however many rules ask. */
class DetailReader {
  private readonly found = new Map<string, Found>();
  constructor(private readonly details: JsonObject) {}

  at(path: CompiledPath): Found {
    let found = this.found.get(path.key);
    if (!found) {
      found = lookup(this.details, path);
      this.found.set(path.key, found);
    }
    return found;
  }
}

/** The value at a dotted path, own properties only; numeric segments index arrays. */
function lookup(details: JsonObject, path: CompiledPath): Found {
  let current: unknown = details;
  for (const { name, index } of path.segments) {
    if (Array.isArray(current)) {
      if (index === null || index >= current.length) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, name)) {
      current = (current as Record<string, unknown>)[name];
    } else {
      return MISSING;
    }
  }
  return new Found(current);
}

/** The value at a dotted path, own properties only; numeric segments index arrays. */
export function valueAt(details: JsonObject, path: string): { present: true; value: unknown } | { present: false } {
  const found = lookup(details, compilePath(path));
  return found === MISSING ? { present: false } : { present: true, value: found.value };
}

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A number, or a plain decimal string ("49.00", as Zendesk placeholders send them); else null. */
export function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return null;
}
