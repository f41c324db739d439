// The policy evaluator over a table of conditions: numbers and numeric strings, missing paths,
// globs, first match wins, and fail closed wherever a fact is unknown.
import { PolicyDocument, type DetailCondition, type PolicyInput } from '@countersign/shared';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluatePolicy, globMatches, holds, type PolicyFacts } from '@countersign/server/approvals';

const DETAILS = {
  amount: '49.00',
  refund: 12.5,
  currency: 'EUR',
  gift: false,
  note: null,
  customer: { tier: 'gold', orders: 3, tags: ['vip', 'eu'] },
  items: [{ sku: 'A-1', qty: '2' }],
  weird: '1e3',
  padded: ' 7 ',
};

const TABLE: Array<[string, DetailCondition, boolean]> = [
  ['a decimal string compares as a number (lte)', { path: 'amount', lte: 49 }, true],
  ['a decimal string compares as a number (lt)', { path: 'amount', lt: 49 }, false],
  ['a number compares against a decimal-string bound', { path: 'refund', gt: '12.49' }, true],
  ['gte on the boundary', { path: 'refund', gte: 12.5 }, true],
  ['eq with a number matches the decimal string of that number', { path: 'amount', eq: 49 }, true],
  ['eq with a string is exact', { path: 'amount', eq: '49' }, false],
  ['eq on a nested path', { path: 'customer.tier', eq: 'gold' }, true],
  ['a numeric segment indexes an array', { path: 'items.0.sku', eq: 'A-1' }, true],
  ['a numeric string inside an array element', { path: 'items.0.qty', lte: 2 }, true],
  ['an index past the end is missing', { path: 'items.3.sku', eq: 'A-1' }, false],
  ['in matches any listed value', { path: 'currency', in: ['USD', 'EUR'] }, true],
  ['in with a number matches a decimal string', { path: 'customer.orders', in: [1, 3] }, true],
  ['booleans compare strictly', { path: 'gift', eq: false }, true],
  ['null compares strictly', { path: 'note', eq: null }, true],
  ['ne of a present string', { path: 'currency', ne: 'USD' }, true],
  ['ne of an equal value', { path: 'currency', ne: 'EUR' }, false],
  // Fail closed: unknown facts never satisfy a condition.
  ['a missing path is false for eq', { path: 'missing', eq: 'x' }, false],
  ['a missing path is false for ne', { path: 'missing', ne: 'x' }, false],
  ['a missing path is false for a numeric operator', { path: 'missing', lt: 100 }, false],
  ['a missing nested path is false', { path: 'customer.region.code', eq: 'x' }, false],
  ['a path through a scalar is missing', { path: 'currency.length', gt: 0 }, false],
  ['a non-numeric value is false for lt', { path: 'currency', lt: 100 }, false],
  ['a non-numeric value is false for gt', { path: 'customer', gt: 0 }, false],
  ['exponent notation is not a plain decimal', { path: 'weird', gt: 1 }, false],
  ['ne of a number on a non-numeric value is false', { path: 'currency', ne: 0 }, false],
  ['surrounding spaces are tolerated in a decimal string', { path: 'padded', eq: 7 }, true],
  ['an inherited property is not a detail', { path: 'customer.constructor', ne: 'x' }, false],
  ['toString on details is not a detail', { path: 'toString', ne: 'x' }, false],
];

describe('policy conditions', () => {
  it.each(TABLE)('%s', (_name, condition, expected) => {
    expect(holds(condition, DETAILS)).toBe(expected);
  });
});

describe('action globs', () => {
  it.each([
    ['process_refund', 'process_refund', true],
    ['process_refund', 'process_refunds', false],
    ['refund_*', 'refund_partial', true],
    ['refund_*', 'refund_', true],
    ['refund_*', 'full_refund', false],
    ['*_refund', 'full_refund', true],
    ['*', 'anything', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['ab*ab', 'ab', false],
    ['cancel.*', 'cancel_subscription', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});

const facts = (over: Partial<PolicyFacts> = {}): PolicyFacts => ({
  action: 'process_refund',
  riskLevel: 'medium',
  context: { platform: 'zendesk', ticketId: '4512' },
  agentName: null,
  details: { amount: '15.00' },
  ...over,
});

const policy = (input: PolicyInput) => PolicyDocument.parse(input);

const SAMPLE = policy({
  rules: [
    {
      id: 'small-refunds',
      when: { action: 'process_refund', riskLevel: ['low', 'medium'], details: [{ path: 'amount', lte: 20 }] },
      then: { decide: 'approve', note: 'Refunds up to 20 are approved automatically.' },
    },
    { id: 'critical-two-person', when: { riskLevel: ['critical'] }, then: { approvals: 2, reviewers: { emails: ['cfo@example.com'], zendeskGroups: ['360001'] } } },
    { id: 'intercom-any', when: { platform: 'intercom' }, then: {} },
    { id: 'no-context', when: { platform: 'none', agentName: 'billing-bot' }, then: { decide: 'reject', note: 'Unattributed bot.' } },
  ],
});

describe('evaluating a policy', () => {
  it('auto-approves a request the first rule matches, with its note', () => {
    const verdict = evaluatePolicy(SAMPLE, facts());
    expect(verdict).toMatchObject({ outcome: 'approve', note: 'Refunds up to 20 are approved automatically.', rule: { id: 'small-refunds' } });
  });

  it('needs a human when a numeric condition fails, or its detail is missing or not a number', () => {
    expect(evaluatePolicy(SAMPLE, facts({ details: { amount: '20.01' } })).outcome).toBe('human');
    expect(evaluatePolicy(SAMPLE, facts({ details: {} })).outcome).toBe('human');
    expect(evaluatePolicy(SAMPLE, facts({ details: { amount: 'twenty' } })).outcome).toBe('human');
  });

  it('takes the first matching rule, not the strictest', () => {
    const verdict = evaluatePolicy(SAMPLE, facts({ riskLevel: 'critical', context: { platform: 'intercom', conversationId: '1' } }));
    expect(verdict).toMatchObject({ outcome: 'human', approvalsRequired: 2, reviewers: { emails: ['cfo@example.com'], zendeskGroups: ['360001'] }, rule: { id: 'critical-two-person' } });
  });

  it('defaults a human rule to one approval by anyone', () => {
    expect(evaluatePolicy(SAMPLE, facts({ riskLevel: 'high', context: { platform: 'intercom', conversationId: '1' } }))).toMatchObject({ outcome: 'human', approvalsRequired: 1, reviewers: null, rule: { id: 'intercom-any' } });
  });

  it('matches platform "none" only without a context, and agentName exactly', () => {
    expect(evaluatePolicy(SAMPLE, facts({ riskLevel: 'high', context: null, agentName: 'billing-bot' })).outcome).toBe('reject');
    expect(evaluatePolicy(SAMPLE, facts({ riskLevel: 'high', context: null, agentName: 'Billing-bot' })).rule).toBeNull();
  });

  it('needs one approval by anyone when no rule matches, and for an empty policy', () => {
    expect(evaluatePolicy(SAMPLE, facts({ action: 'cancel_subscription', riskLevel: 'high' }))).toEqual({ rule: null, outcome: 'human', approvalsRequired: 1, reviewers: null, note: null });
    expect(evaluatePolicy(policy({ rules: [] }), facts())).toMatchObject({ rule: null, outcome: 'human', approvalsRequired: 1 });
  });

  it('matches every request with a rule that has no when', () => {
    expect(evaluatePolicy(policy({ rules: [{ id: 'all', then: { approvals: 3 } }] }), facts()).approvalsRequired).toBe(3);
  });
});

describe('policy documents', () => {
  it.each([
    ['an unknown field in when', { rules: [{ id: 'r', when: { amount: 5 }, then: {} }] }],
    ['two comparisons in one condition', { rules: [{ id: 'r', when: { details: [{ path: 'a', lt: 1, gt: 0 }] }, then: {} }] }],
    ['no comparison', { rules: [{ id: 'r', when: { details: [{ path: 'a' }] }, then: {} }] }],
    ['a numeric bound that is not a number', { rules: [{ id: 'r', when: { details: [{ path: 'a', lt: 'ten' }] }, then: {} }] }],
    ['a decision mixed with approvals', { rules: [{ id: 'r', then: { decide: 'approve', approvals: 2 } }] }],
    ['more than five approvals', { rules: [{ id: 'r', then: { approvals: 6 } }] }],
    ['an empty reviewers object', { rules: [{ id: 'r', then: { reviewers: {} } }] }],
    ['a reviewer id without its channel', { rules: [{ id: 'r', then: { reviewers: { ids: ['381'] } } }] }],
    ['a duplicate rule id', { rules: [{ id: 'r', then: {} }, { id: 'r', then: {} }] }],
    ['an unknown risk level', { rules: [{ id: 'r', when: { riskLevel: ['extreme'] }, then: {} }] }],
    ['a path with an empty segment', { rules: [{ id: 'r', when: { details: [{ path: 'a..b', eq: 1 }] }, then: {} }] }],
  ])('refuses %s', (_name, input) => {
    expect(PolicyDocument.safeParse(input).success).toBe(false);
  });

  it('accepts the example from the design', () => {
    expect(PolicyDocument.safeParse({
      rules: [
        { id: 'small-refunds', when: { action: 'process_refund', riskLevel: ['low', 'medium'], details: [{ path: 'amount', lte: 20 }] }, then: { decide: 'approve', note: 'Refunds up to 20 are approved automatically.' } },
        { id: 'critical-two-person', when: { riskLevel: ['critical'] }, then: { approvals: 2, reviewers: { emails: ['cfo@example.com'], ids: ['api:admin', 'zendesk:381'], zendeskGroups: ['360001'], zendeskRoles: ['admin'], intercomTeams: ['55'] } } },
      ],
    }).success).toBe(true);
  });
});

/**
 * The rules as DESIGN.md reads them, written plainly (no compilation, no caching): the evaluator,
 * which compiles each policy once, must agree with it on any policy and any request.
 */
const reference = {
  numeric(value: unknown): number | null {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    return typeof value === 'string' && /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? Number(value.trim()) : null;
  },
  at(details: unknown, path: string): { value: unknown } | null {
    let current = details;
    for (const segment of path.split('.')) {
      if (Array.isArray(current)) {
        if (!/^\d+$/.test(segment) || Number(segment) >= current.length) return null;
        current = current[Number(segment)];
      } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
        current = (current as Record<string, unknown>)[segment];
      } else return null;
    }
    return { value: current };
  },
  same(value: unknown, expected: unknown): boolean {
    return typeof expected === 'number' ? reference.numeric(value) === expected : value === expected;
  },
  holds(c: DetailCondition, details: unknown): boolean {
    const found = reference.at(details, c.path);
    if (!found) return false;
    const { value } = found;
    if (c.eq !== undefined) return reference.same(value, c.eq);
    if (c.ne !== undefined) return (typeof c.ne !== 'number' || reference.numeric(value) !== null) && !reference.same(value, c.ne);
    if (c.in !== undefined) return c.in.some((candidate) => reference.same(value, candidate));
    const actual = reference.numeric(value);
    const [op, limit] = (['lt', 'lte', 'gt', 'gte'] as const).map((o) => [o, c[o]] as const).find(([, l]) => l !== undefined)!;
    const bound = reference.numeric(limit);
    if (actual === null || bound === null) return false;
    return { lt: actual < bound, lte: actual <= bound, gt: actual > bound, gte: actual >= bound }[op];
  },
  glob(pattern: string, value: string): boolean {
    // Every `*` any run of characters: as a regular expression (fine for the short patterns here).
    return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(value);
  },
  ruleFor(policy: PolicyDocument, f: PolicyFacts): string | null {
    const rule = policy.rules.find(({ when }) =>
      (when.action === undefined || reference.glob(when.action, f.action)) &&
      (when.riskLevel === undefined || when.riskLevel.includes(f.riskLevel)) &&
      (when.platform === undefined || (f.context?.platform ?? 'none') === when.platform) &&
      (when.agentName === undefined || f.agentName === when.agentName) &&
      (when.details ?? []).every((c) => reference.holds(c, f.details)));
    return rule?.id ?? null;
  },
};

describe('the compiled evaluator against a plain reading of the rules', () => {
  const value = fc.oneof(fc.constantFrom(null, true, false, 0, -0, 1.5, 15, 20, 49, 1e308), fc.constantFrom('49.00', '20', ' 7 ', '1e3', '-5', '+.5', '1.', 'gold', '', 'x'));
  const path = fc.constantFrom('amount', 'customer.tier', 'items.0.qty', 'items.1', 'items.length', 'missing', 'constructor', 'toString', '__proto__', 'a.b.c');
  const condition = fc.tuple(path, fc.constantFrom('eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte'), value, fc.array(value, { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 15, 20, 49, -1, 1.5, '49.00', '20', '.5'))
    .map(([p, op, v, list, bound]) => ({ path: p, [op]: op === 'in' ? list : ['eq', 'ne'].includes(op) ? v : bound }) as DetailCondition);
  const glob = fc.constantFrom('process_refund', 'process_*', '*_refund', '*', 'a*b*c', '*c*', 'refund', '**', 'p*d');
  const rules = fc.uniqueArray(
    fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/),
      when: fc.record({ action: glob, riskLevel: fc.subarray(['low', 'medium', 'high', 'critical'] as const, { minLength: 1 }), platform: fc.constantFrom('zendesk', 'intercom', 'none') as fc.Arbitrary<'zendesk' | 'intercom' | 'none'>, agentName: fc.constantFrom('Fin', 'bot'), details: fc.array(condition, { minLength: 1, maxLength: 3 }) }, { requiredKeys: [] }),
      then: fc.constant({ approvals: 1 }),
    }),
    { maxLength: 8, selector: (r) => r.id },
  );
  const details = fc.record({ amount: value, customer: fc.record({ tier: value }), items: fc.array(fc.record({ qty: value }), { maxLength: 2 }), constructor: value }, { requiredKeys: [] });
  const request = fc.record({
    action: fc.constantFrom('process_refund', 'refund', 'abc', 'axbxc', 'cancel', 'pd', 'p_d'),
    riskLevel: fc.constantFrom('low', 'medium', 'high', 'critical') as fc.Arbitrary<PolicyFacts['riskLevel']>,
    context: fc.constantFrom(null, { platform: 'zendesk' as const, ticketId: '1' }, { platform: 'intercom' as const, conversationId: '2' }),
    agentName: fc.constantFrom(null, 'Fin', 'bot'),
    details,
  });

  it('picks the same rule for any policy and any request, evaluating each policy again and again', () => {
    fc.assert(
      fc.property(rules, fc.array(request, { minLength: 1, maxLength: 5 }), (generated, requests) => {
        const document = PolicyDocument.parse({ rules: generated });
        for (const facts of requests) expect(evaluatePolicy(document, facts).rule?.id ?? null).toBe(reference.ruleFor(document, facts));
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('agrees on every single condition', () => {
    fc.assert(fc.property(condition, details, (c, d) => {
      expect(holds(c, d as never)).toBe(reference.holds(c, d));
    }), { numRuns: 2000, seed: 12 });
  });

  it('agrees on globs', () => {
    fc.assert(fc.property(glob, fc.constantFrom('process_refund', 'abc', 'axbxc', 'ac', 'cc', '', 'pd', 'p*d'), (pattern, action) => {
      expect(globMatches(pattern, action)).toBe(reference.glob(pattern, action));
    }), { numRuns: 500, seed: 13 });
  });
});
