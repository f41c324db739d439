// Evidence: property-based fuzzing of who may decide, on a real server (loopback, real SQLite file).
//
// 1. PUT /api/policy with generated policy documents (mostly plausible, often subtly invalid: odd rule
//    ids, paths, comparisons, approvals out of range, unknown fields, 200+ rules), mutated ones and raw
//    oddities, under every kind of key. Never a 5xx; every refusal has the error shape; an admin's
//    JSON document is accepted exactly when the shared schema accepts it; after every refusal the
//    policy in force (GET /api/policy, and the store) is what it was. After each accepted document, a
//    generated request goes through intake and is settled or held exactly as the evaluator says.
// 2. POST /api/policy/test with generated candidates and `since` values: never a 5xx; accepted exactly
//    when the schema accepts it; the answer is what the evaluator computes over the stored requests;
//    nothing stored changes (the policy, every approval).
// 3. Decisions under a policy with quorum, eligible reviewers and four eyes, from every principal kind
//    (delegating, personal, the Zendesk app key with and without valid, expired or foreign agent
//    sessions, admin and intake keys, none), with odd body reviewers (ids, names, emails, every `via`),
//    modifiedDetails and notes. Never a 5xx; a refusal changes nothing stored (the approval and its
//    audit trail); a decision that applies is recorded as the reviewer the credential proves, never as
//    the body says (except a delegating key's), and credentials that cannot decide never do.
//
// Size: DEFAULT_RUNS cases per part; FUZZ_RUNS=2000 or FUZZ_RUNS=x10 for more, FUZZ_SEED=… replays a
// run (the seed is printed at the start).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecisionBody, PolicyDocument, PolicyTestBody, PolicyTestResult, PolicyView, ReviewerSchema } from '@countersign/shared';
import { backtestPolicy, evaluatePolicy, type ApprovalRecord } from '@countersign/server/approvals';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
import { ADMIN_REVIEW_KEY, INTAKE_KEY, REVIEW_KEY, reviewer, startTestServer, type TestServer } from '../support/test-server';
import { ErrorShape, isJsonResponse, send, type RawOutcome } from './support/raw-http';
import { FUZZ_SEED, fuzzRuns } from './support/fuzz-runs';

const DEFAULT_RUNS = 200;
const runs = (base = DEFAULT_RUNS) => fuzzRuns(base);
const SEED = FUZZ_SEED;

// ---------------------------------------------------------------------------------------------------
// Values

const ODD = ['', ' ', '\u0000', '\ud800', '\u202e', '𝕏', 'é', '<script>', '{{ticket.id}}', '..', '.', 'a b', '__proto__', 'constructor', 'toString', 'x'.repeat(300)];
const oddString = fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 20 }));
const oddNumber = fc.constantFrom(0, -1, 1.5, 20, 49, 1e308, -0, 2 ** 53 + 1);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), oddNumber, fc.constantFrom('49.00', '20', ' 7 ', '1e3', 'gold', '-5', '+.5', '1.'), oddString);

const PATHS = ['amount', 'customer.tier', 'items.0.qty', 'items.1.qty', 'missing', 'constructor', 'toString', 'customer.constructor', '__proto__', 'a..b', '', 'amount ', '.amount'];
const numberLike = fc.oneof(oddNumber, fc.constantFrom('49.00', '20', '.5', '1e3', 'ten', '', ' 20'), scalar);
const condition = fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'like'), scalar, numberLike, fc.array(scalar, { maxLength: 4 }), fc.integer({ min: 0, max: 9 }))
  .map(([path, op, value, bound, list, shape]) => {
    if (shape === 0) return { path }; // no comparison
    if (shape === 1) return { path, lt: bound, gt: bound }; // two
    const operand = op === 'in' ? list : ['lt', 'lte', 'gt', 'gte'].includes(op) ? bound : value;
    return { path, [op]: operand };
  });

const RULE_IDS = ['small-refunds', 'critical-two-person', 'r1', 'a.b_c-d', 'x'.repeat(64), 'x'.repeat(65), '-leading', 'has space', 'ü', ''];
const ruleId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...RULE_IDS) }, { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/) }, { weight: 1, arbitrary: oddString });
const optional = <T,>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const compact = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));

const when = fc.record({
  action: optional(fc.constantFrom('process_refund', 'refund_*', '*', '*_subscription', 'a*b*c', '', ' ', 'process_refund ')),
  riskLevel: optional(fc.oneof(fc.subarray(['low', 'medium', 'high', 'critical']), fc.constant(['extreme']), fc.constant('high'))),
  platform: optional(fc.constantFrom('zendesk', 'intercom', 'none', 'slack', null)),
  agentName: optional(fc.constantFrom('Fin', 'billing-bot', '', 'x'.repeat(201))),
  details: optional(fc.array(condition, { maxLength: 4 })),
  extra: optional(fc.constantFrom('amount', 'anything')),
}).map(compact);

const reviewerList = (values: readonly string[]) => optional(fc.array(fc.oneof(fc.constantFrom(...values), oddString), { maxLength: 3 }));
const reviewers = fc.record({
  ids: reviewerList(['api:admin', 'api:cfo', 'zendesk:381', 'intercom:55', 'slack:U1', '381', 'api:', 'policy:x', 'api:has space']),
  emails: reviewerList(['cfo@example.com', 'CFO@Example.com', 'not-an-email', '@example.com']),
  zendeskGroups: reviewerList(['360001', '360002']),
  zendeskRoles: reviewerList(['admin', 'agent', '9001']),
  intercomTeams: reviewerList(['55']),
  other: optional(fc.constant(['x'])),
}).map(compact);

const then = fc.oneof(
  fc.record({ decide: fc.constantFrom('approve', 'reject', 'maybe', 'APPROVE'), note: optional(fc.oneof(fc.constantFrom('Small refund.', ''), oddString)) }).map(compact),
  fc.record({ approvals: optional(fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom(1.5, '2', null))), reviewers: optional(fc.oneof(reviewers, fc.constant(null))) }).map(compact),
  fc.record({ decide: fc.constant('approve'), approvals: fc.constant(2) }),
);

const rule = fc.record({ id: ruleId, when: optional(when), then: optional(then), extra: optional(fc.constant(true)) }).map(compact);

// Valid documents: every kind of condition and outcome, with the awkward values the schema allows.
const VALID_PATHS = ['amount', 'customer.tier', 'items.0.qty', 'items.1.qty', 'missing', 'constructor', 'toString', 'customer.constructor', '__proto__'];
const validScalar = fc.oneof(fc.constant(null), fc.boolean(), fc.constantFrom(0, -1, 1.5, 15, 20, 49, -0), fc.constantFrom('49.00', '20', ' 7 ', '1e3', 'gold', 'silver', '-5', '2'));
const validBound = fc.oneof(fc.constantFrom(0, -1, 1.5, 15, 20, 20.5, 49, 1e308), fc.constantFrom('49.00', '20', '.5', '+1', '1.'));
const validCondition = fc.tuple(fc.constantFrom(...VALID_PATHS), fc.constantFrom('eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte'), validScalar, validBound, fc.array(validScalar, { minLength: 1, maxLength: 4 }))
  .map(([path, op, value, bound, list]) => ({ path, [op]: op === 'in' ? list : ['eq', 'ne'].includes(op) ? value : bound }));
const validWhen = fc.record({
  action: optional(fc.constantFrom('process_refund', 'refund_*', '*', '*_subscription', 'a*b*c', 'process_*', 'cancel_subscription')),
  riskLevel: optional(fc.subarray(['low', 'medium', 'high', 'critical'] as const, { minLength: 1 })),
  platform: optional(fc.constantFrom('zendesk', 'intercom', 'none')),
  agentName: optional(fc.constantFrom('Fin', 'billing-bot')),
  details: optional(fc.array(validCondition, { minLength: 1, maxLength: 4 })),
}).map(compact);
const validReviewers = fc.record({
  ids: optional(fc.subarray(['api:admin', 'api:cfo', 'zendesk:381', 'intercom:55', 'slack:U1'], { minLength: 1 })),
  emails: optional(fc.subarray(['cfo@example.com', 'CFO@Example.com', 'zoe@example.com'], { minLength: 1 })),
  zendeskGroups: optional(fc.constant(['360001'])),
  zendeskRoles: optional(fc.subarray(['admin', 'agent', '9001'], { minLength: 1 })),
  intercomTeams: optional(fc.constant(['55'])),
}).map(compact).filter((r) => Object.keys(r).length > 0);
const validThen = fc.oneof(
  fc.record({ decide: fc.constantFrom('approve', 'reject'), note: optional(fc.constantFrom('Small refund.', 'Not allowed ü€😀.')) }).map(compact),
  fc.record({ approvals: optional(fc.integer({ min: 1, max: 5 })), reviewers: optional(validReviewers) }).map(compact),
);
const validRule = fc.record({ id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/), when: optional(validWhen), then: validThen }).map(compact);

/** A policy document as an admin might send one: valid, or plausible and invalid in one small way, or not a policy at all. */
const policyDocument = fc.oneof(
  { weight: 8, arbitrary: fc.record({ rules: fc.uniqueArray(validRule, { maxLength: 8, selector: (r) => r.id }) }) },
  { weight: 6, arbitrary: fc.record({ rules: fc.array(rule, { maxLength: 8 }) }) },
  // Around the limit of 200 rules, each valid.
  { weight: 1, arbitrary: fc.integer({ min: 195, max: 205 }).map((n) => ({ rules: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, when: { action: `a${i}_*` }, then: { approvals: 1 } })) })) },
  { weight: 1, arbitrary: fc.record({ rules: fc.array(rule, { maxLength: 3 }), extra: fc.constant(1) }) },
  { weight: 1, arbitrary: fc.oneof(fc.constant({}), fc.constant({ rules: null }), fc.constant({ rules: {} }), fc.constant([]), fc.constant(null), fc.jsonValue({ maxDepth: 3 })) },
);

// ---------------------------------------------------------------------------------------------------
// Requests a policy is evaluated on

const details = fc.record({
  amount: optional(fc.oneof(fc.constantFrom('49.00', '15.00', '20', 'twenty', ' 7 ', '1e3', '-5', '99999999999999999999999'), fc.constantFrom(15, 20.5, 0, null, true))),
  customer: optional(fc.record({ tier: fc.constantFrom('gold', 'silver', 1, null) })),
  items: optional(fc.constant([{ qty: '2' }])),
  constructor: optional(fc.constant('own constructor')),
}).map(compact);
const intakeRequest = fc.record({
  action: fc.constantFrom('process_refund', 'refund_partial', 'cancel_subscription', 'axxbyyc', 'process_refund '),
  riskLevel: optional(fc.constantFrom('low', 'medium', 'high', 'critical', 'HIGH')),
  agentName: optional(fc.constantFrom('Fin', 'billing-bot')),
  context: optional(fc.constantFrom({ platform: 'zendesk', ticketId: '4512' }, { platform: 'intercom', conversationId: '99' })),
  details,
}).map((body) => ({ summary: 'Fuzzed request', ...compact(body) }));

// ---------------------------------------------------------------------------------------------------
// The suite

type Headers = Record<string, string>;

describe('fuzzing who may decide', { timeout: 300_000 }, () => {
  let server: TestServer;
  let wsId: string;
  let adminKey: string;
  let otherAdminKey: string;
  let appKey: string;
  let cfoKey: string;
  const sessions: Record<'zoe' | 'yan' | 'expired' | 'foreign', string> = { zoe: '', yan: '', expired: '', foreign: '' };
  const snapshot = new Map<string, unknown>();
  const classes = new Map<string, Record<string, number>>();
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    server = await startTestServer();
    const { workspaces } = server.app;
    const home = await workspaces.byName('default');
    wsId = home.id;
    const other = (await workspaces.create('globex')).workspace;
    adminKey = (await workspaces.issueKey(home, 'admin')).key;
    otherAdminKey = (await workspaces.issueKey(other, 'admin')).key;
    appKey = (await workspaces.issueKey(home, 'review', { label: 'zendesk app' })).key;
    cfoKey = (await workspaces.issueKey(home, 'review', { reviewer: { kind: 'personal', id: 'cfo', name: 'Cleo CFO', email: 'CFO@example.com' } })).key;
    const issuer = new ReviewerSessions(loadSecretKey(undefined, server.dataDir).key);
    sessions.zoe = issuer.issue(home.id, { id: '381', name: 'Zoe', email: 'zoe@example.com', role: 'agent', groups: ['360001'] }).token;
    sessions.yan = issuer.issue(home.id, { id: '400', name: 'Yan', role: 'admin', groups: [] }).token;
    sessions.expired = issuer.issue(home.id, { id: '381', name: 'Zoe', role: 'agent', groups: ['360001'] }, -1).token;
    sessions.foreign = issuer.issue(other.id, { id: '381', name: 'Zoe', role: 'agent', groups: ['360001'] }).token;

    // Requests that must come out of all of it unchanged.
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push((await server.intake.createApproval({ action: 'process_refund', summary: `kept ${i}`, details: { amount: '49.00', n: i } })).approval.approvalId);
    for (const decision of ['approve', 'reject'] as const) {
      const id = (await server.intake.createApproval({ action: 'process_refund', summary: `kept ${decision}`, details: { amount: '5.00' } })).approval.approvalId;
      await server.review.decide(id, { decision, reviewer });
      ids.push(id);
    }
    for (const id of ids) snapshot.set(id, await stored(id));
    console.log(`policy fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${runs()} cases per part by default`);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await server?.close();
  });

  async function stored(id: string) {
    return { approval: await server.app.store.approvals.get(wsId, id), events: await server.app.store.approvals.listEvents(wsId, id) };
  }
  const storedPolicy = async () => server.app.store.policies.current(wsId);

  async function request(part: string, method: string, path: string, headers: Headers, body?: Buffer | unknown) {
    const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body) ?? 'null');
    const outcome: RawOutcome = await send(server.url, { method, path, headers: { ...headers, ...(bytes ? { 'content-type': 'application/json' } : {}) }, body: bytes });
    if (!outcome.ok) throw new Error(`${method} ${path}: no answer (${outcome.error})`);
    const { response } = outcome;
    const counts = classes.get(part) ?? {};
    counts[`${response.status}`] = (counts[`${response.status}`] ?? 0) + 1;
    classes.set(part, counts);
    const context = `${method} ${path} → ${response.status} ${response.text.slice(0, 300)} for ${bytes?.toString('utf8').slice(0, 300)}`;
    expect(response.status, context).toBeLessThan(500);
    if (response.status >= 400) {
      expect(isJsonResponse(response), context).toBe(true);
      expect(ErrorShape.safeParse(response.json).success, context).toBe(true);
    }
    return { status: response.status, json: response.json as any, context };
  }

  const bearer = (key: string): Headers => ({ authorization: `Bearer ${key}` });
  /** Who manages the policy: this workspace's admin key mostly, every other kind of key too. */
  const policyCaller = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('bearer' as const, 'x-api-key' as const).map((header) => ({ who: 'admin', header })) },
    { weight: 4, arbitrary: fc.constantFrom('delegating', 'personal', 'app', 'intake', 'otherAdmin', 'none', 'garbage').map((who) => ({ who, header: 'bearer' as const })) },
  );
  function keyHeaders(caller: { who: string; header: 'bearer' | 'x-api-key' }): Headers {
    const keys: Record<string, string | null> = { admin: adminKey, delegating: REVIEW_KEY, personal: ADMIN_REVIEW_KEY, app: appKey, intake: INTAKE_KEY, otherAdmin: otherAdminKey, none: null, garbage: 'cs_live_garbage' };
    const key = keys[caller.who];
    if (key === null || key === undefined) return {};
    return caller.header === 'x-api-key' ? { 'x-api-key': key } : bearer(key);
  }

  it('PUT /api/policy: accepts exactly the documents the schema accepts, from admin keys only; a refusal leaves the policy in force as it was', async () => {
    let accepted = 0;
    const body = fc.oneof(
      { weight: 12, arbitrary: policyDocument.map((document) => ({ raw: false as const, document })) },
      { weight: 1, arbitrary: fc.constantFrom('', '{', '{"rules":[]', '{"rules":[],"rules":[{"id":"x","then":{}}]}', '{"__proto__":{"rules":[]}}', '{"rules":[{"id":"a","__proto__":{"x":1},"then":{}}]}', '[1]', 'null', '\ufeff{"rules":[]}', `{"rules":${'['.repeat(5000)}${']'.repeat(5000)}}`).map((text) => ({ raw: true as const, text })) },
    );
    await fc.assert(
      fc.asyncProperty(policyCaller, body, intakeRequest, async (caller, candidate, probe) => {
        const before = await storedPolicy();
        const sent = candidate.raw ? Buffer.from(candidate.text) : candidate.document;
        const put = await request('PUT /api/policy', 'PUT', '/api/policy', keyHeaders(caller), sent);
        const ours = caller.who === 'admin';
        if (!ours && caller.who !== 'otherAdmin') expect(put.status, put.context).not.toBe(200);
        // What went over the wire (JSON has no -0, no undefined).
        const wire: unknown = candidate.raw ? undefined : JSON.parse(JSON.stringify(candidate.document));
        if (ours && !candidate.raw) {
          const schema = PolicyDocument.safeParse(wire);
          expect(put.status === 200, `the server and the schema disagree: ${put.context}`).toBe(schema.success);
          // 400 only for what the body reader refuses (a literal "__proto__" key), before any schema.
          if (!schema.success) expect([400, 422], put.context).toContain(put.status);
          if (put.status === 422) {
            expect(put.json.error.code).toBe('invalid_policy');
            expect(put.json.error.issues.length, put.context).toBeGreaterThan(0);
          }
        }
        if (!ours || put.status !== 200) {
          // Nothing changed: neither what is stored nor what is in force.
          expect(await storedPolicy(), put.context).toEqual(before);
          const inForce = await request('GET /api/policy', 'GET', '/api/policy', bearer(adminKey));
          expect(inForce.json.version, put.context).toBe(before?.version ?? 0);
          expect(inForce.json.rules, put.context).toEqual(before?.document.rules ?? []);
          return;
        }
        accepted++;
        const document = PolicyDocument.parse(candidate.raw ? JSON.parse(candidate.text) : wire);
        expect(PolicyView.parse(put.json)).toMatchObject({ version: (before?.version ?? 0) + 1, rules: document.rules });
        // The policy now in force decides intake exactly as the evaluator says, on the request as stored.
        const created = await request('intake under a fuzzed policy', 'POST', '/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }, probe);
        expect([200, 201], created.context).toContain(created.status);
        const view = created.json;
        const verdict = evaluatePolicy(document, { action: view.action, riskLevel: view.riskLevel, context: view.context, agentName: view.agentName, details: view.details });
        const ruleId = verdict.rule?.id ?? null;
        if (verdict.outcome === 'human') {
          expect(created.status, created.context).toBe(201);
          expect(view.policy, created.context).toEqual({ ruleId, version: put.json.version, approvalsRequired: verdict.approvalsRequired, reviewers: verdict.reviewers });
        } else {
          expect(created.status, created.context).toBe(200);
          expect(view.status, created.context).toBe(verdict.outcome === 'approve' ? 'approved' : 'rejected');
          expect(view.decidedBy, created.context).toEqual({ id: ruleId, name: `Policy: ${ruleId}`, via: 'policy' });
        }
      }),
      { numRuns: runs(), seed: SEED },
    );
    console.log(`policy fuzz: PUT /api/policy accepted ${accepted} of ${runs()} documents`);
    expect(accepted).toBeGreaterThan(0);
  });

  it('POST /api/policy/test: answers what the evaluator computes over the stored requests, and writes nothing', async () => {
    const since = fc.oneof(fc.constant(undefined), fc.constantFrom('30d', '12h', '90m', '0d', '9999d', '1d'), fc.constantFrom('1y', '', ' 1d', '-1d', '30 d', '١٢h', '10000d', 'd', 30, null));
    const body = fc.oneof(
      { weight: 10, arbitrary: fc.record({ policy: policyDocument, since }).map(compact) },
      { weight: 1, arbitrary: fc.oneof(fc.constant({}), fc.constant({ policy: { rules: [] }, since: '1d', extra: 1 }), fc.jsonValue({ maxDepth: 3 })) },
    );
    const all = async () => server.app.store.approvals.list(wsId, {}, 10_000);
    const approvalsBefore = await all();
    /** Every stored approval's id, version and last change: any write would show in it. */
    const fingerprint = async () => (await all()).map((a) => `${a.id}:${a.version}:${a.updatedAt}:${a.status}`);
    const fingerprintBefore = await fingerprint();
    const policyBefore = await storedPolicy();
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(policyCaller, body, async (caller, candidate) => {
        const tested = await request('POST /api/policy/test', 'POST', '/api/policy/test', keyHeaders(caller), candidate);
        const ours = caller.who === 'admin';
        if (!ours && caller.who !== 'otherAdmin') expect(tested.status, tested.context).not.toBe(200);
        if (ours) {
          const schema = PolicyTestBody.safeParse(JSON.parse(JSON.stringify(candidate) ?? 'null'));
          expect(tested.status === 200, `the server and the schema disagree: ${tested.context}`).toBe(schema.success);
          if (schema.success) {
            answered++;
            const result = PolicyTestResult.parse(tested.json);
            const sinceMs = Date.parse(result.since);
            expect(result).toEqual(backtestPolicy(schema.data.policy, approvalsBefore.filter((a) => a.createdAt >= sinceMs), sinceMs));
          } else {
            expect([400, 422], tested.context).toContain(tested.status);
          }
        }
        expect(await storedPolicy()).toEqual(policyBefore);
        expect(await fingerprint()).toEqual(fingerprintBefore);
      }),
      { numRuns: runs(), seed: SEED + 1 },
    );
    expect(await all()).toEqual(approvalsBefore);
    console.log(`policy fuzz: POST /api/policy/test answered ${answered} of ${runs()} candidates`);
    expect(answered).toBeGreaterThan(0);
  });

  it('decisions from every principal kind: never a 5xx, a refusal changes nothing, and who decided is who the credential proves', async () => {
    const policy = {
      rules: [
        { id: 'quorum-two', when: { action: 'fuzz_quorum' }, then: { approvals: 2 } },
        { id: 'finance', when: { action: 'fuzz_finance' }, then: { reviewers: { emails: ['cfo@example.com'], zendeskGroups: ['360001'], ids: ['api:admin'] } } },
        { id: 'admins', when: { action: 'fuzz_admins' }, then: { approvals: 3, reviewers: { zendeskRoles: ['admin'], ids: ['api:ana', 'api:bo', 'api:381'] } } },
      ],
    };
    expect((await request('setup', 'PUT', '/api/policy', bearer(adminKey), policy)).status).toBe(200);

    // The principals, with what each proves (null: it can never decide).
    const principals: Record<string, { headers: () => Headers; proves: ((body: any) => { id: string; via: string }) | null }> = {
      delegating: { headers: () => bearer(REVIEW_KEY), proves: (body) => ({ id: ReviewerSchema.parse(body.reviewer).id, via: 'api' }) },
      personalAdmin: { headers: () => bearer(ADMIN_REVIEW_KEY), proves: () => ({ id: 'admin', via: 'api' }) },
      personalCfo: { headers: () => bearer(cfoKey), proves: () => ({ id: 'cfo', via: 'api' }) },
      appZoe: { headers: () => ({ ...bearer(appKey), 'x-countersign-reviewer': sessions.zoe }), proves: () => ({ id: '381', via: 'zendesk' }) },
      appYan: { headers: () => ({ ...bearer(appKey), 'x-countersign-reviewer': sessions.yan }), proves: () => ({ id: '400', via: 'zendesk' }) },
      appNoSession: { headers: () => bearer(appKey), proves: null },
      appExpired: { headers: () => ({ ...bearer(appKey), 'x-countersign-reviewer': sessions.expired }), proves: null },
      appForeign: { headers: () => ({ ...bearer(appKey), 'x-countersign-reviewer': sessions.foreign }), proves: null },
      appGarbageSession: { headers: () => ({ ...bearer(appKey), 'x-countersign-reviewer': `${sessions.zoe.slice(0, -3)}abc` }), proves: null },
      admin: { headers: () => bearer(adminKey), proves: null },
      intake: { headers: () => ({ 'x-api-key': INTAKE_KEY }), proves: null },
      none: { headers: () => ({}), proves: null },
    };
    const oddReviewer = fc.record({
      id: fc.oneof(fc.constantFrom('ana', 'admin', 'cfo', '381', 'bo', ' ana ', '', 'x'.repeat(129)), fc.constantFrom(0, -1, 381, 1.5, 2 ** 53), oddString),
      name: fc.oneof(fc.constantFrom('Ana', 'Admin', ' ', ''), oddString),
      email: optional(fc.constantFrom('cfo@example.com', 'CFO@EXAMPLE.COM', 'zoe@example.com', 'ana@example.com', 'not-an-email', '')),
      via: fc.constantFrom('api', 'api', 'api', 'zendesk', 'intercom', 'slack', 'policy', 'API', '', 'email'),
      extra: optional(fc.constant('x')),
    }).map(compact);
    const goodReviewer = fc.record({
      id: fc.constantFrom('ana', 'admin', 'cfo', '381', 'bo', 'dee'),
      name: fc.constantFrom('Ana', 'Admin'),
      email: optional(fc.constantFrom('cfo@example.com', 'CFO@EXAMPLE.COM', 'zoe@example.com', 'ana@example.com')),
      via: fc.constant('api'),
    }).map(compact);
    const decisionBody = fc.oneof(
      { weight: 10, arbitrary: fc.record({
        decision: fc.constantFrom('approve', 'approve', 'reject'),
        note: optional(fc.constantFrom('ok', 'Approved with care.')),
        modifiedDetails: optional(fc.constantFrom({ amount: '25.00' }, { amount: '49.00' }, { amount: null }, { constructor: 'x' }, { nested: { a: [1, null] } })),
        reviewer: optional(goodReviewer),
      }).map(compact).map((b) => (b.decision === 'reject' ? { ...b, modifiedDetails: undefined } : b)).map(compact) },
      { weight: 6, arbitrary: fc.record({
        decision: fc.constantFrom('approve', 'approve', 'reject', 'maybe', ''),
        note: optional(fc.oneof(fc.constantFrom('ok', ' '), oddString)),
        modifiedDetails: optional(fc.oneof(fc.constant({ amount: '25.00' }), fc.constant({ amount: '49.00' }), fc.constant({ amount: null }), fc.constant({ constructor: 'x' }), fc.constant([]), fc.constant('x'))),
        reviewer: optional(fc.oneof(oddReviewer, fc.constant(null), fc.constant('ana'))),
      }).map(compact) },
      { weight: 1, arbitrary: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })) },
    );
    /** A delegating key's body names its reviewer; everyone else's mostly does not (naming someone else is refused). */
    const bodyFor = (principal: string) => (principal === 'delegating'
      ? fc.oneof({ weight: 4, arbitrary: decisionBody.map((b) => (typeof b === 'object' && b !== null && !Array.isArray(b) && !('reviewer' in b) ? { ...b, reviewer: { id: 'dee', name: 'Dee', via: 'api' } } : b)) }, { weight: 1, arbitrary: decisionBody })
      : fc.oneof({ weight: 3, arbitrary: decisionBody.map((b) => (typeof b === 'object' && b !== null && !Array.isArray(b) ? compact({ ...b, reviewer: undefined }) : b)) }, { weight: 1, arbitrary: decisionBody }));
    const setup = fc.record({
      action: fc.constantFrom('fuzz_quorum', 'fuzz_finance', 'fuzz_admins', 'fuzz_anyone'),
      requestedBy: optional(fc.constantFrom({ id: 'admin' }, { email: 'CFO@example.com' }, { id: '381' }, { email: 'ana@example.com' }, { id: 'someone' })),
      earlier: fc.constantFrom(null, 'ana', 'bo'),
      // Those that can decide more often: their decisions are where eligibility and quorum are tried.
      principal: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...Object.keys(principals).filter((name) => principals[name]!.proves)) },
        { weight: 1, arbitrary: fc.constantFrom(...Object.keys(principals).filter((name) => !principals[name]!.proves)) },
      ),
    });
    const tally = { applied: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(setup.chain((c) => bodyFor(c.principal).map((body) => ({ ...c, body }))), async ({ action, requestedBy, earlier, principal, body }) => {
        const created = await request('decision setup', 'POST', '/api/webhooks/inbound', { 'x-api-key': INTAKE_KEY }, compact({ action, summary: 'Fuzzed decision', details: { amount: '49.00', currency: 'EUR' }, requestedBy }));
        expect(created.status, created.context).toBe(201);
        const id: string = created.json.approvalId;
        if (earlier) await request('decision setup', 'POST', `/api/approvals/${id}/decision`, bearer(REVIEW_KEY), { decision: 'approve', reviewer: { id: earlier, name: earlier, via: 'api' } });
        const before = await stored(id);
        const who = principals[principal]!;
        const decided = await request('POST /api/approvals/{id}/decision', 'POST', `/api/approvals/${id}/decision`, who.headers(), body);
        if (decided.status !== 200) {
          tally.refused++;
          expect(await stored(id), decided.context).toEqual(before);
          return;
        }
        tally.applied++;
        expect(who.proves, `a credential that cannot decide decided: ${decided.context}`).not.toBeNull();
        expect(DecisionBody.safeParse(body).success, decided.context).toBe(true);
        const proven = who.proves!(body);
        const after = (await stored(id)).approval as ApprovalRecord;
        const last = after.approvals.at(-1);
        const decider = after.status === 'rejected' ? after.decidedBy : last?.reviewer;
        expect({ id: decider?.id, via: decider?.via }, decided.context).toEqual(proven);
        expect(['pending', 'approved', 'rejected'], decided.context).toContain(after.status);
        if (after.status === 'approved') expect(after.approvals.length, decided.context).toBeGreaterThanOrEqual(after.requirement!.approvalsRequired);
        if (after.status === 'pending') expect(after.approvals.length, decided.context).toBeLessThan(after.requirement!.approvalsRequired);
        // Distinct reviewers: no one counted twice.
        expect(new Set(after.approvals.map((vote) => `${vote.reviewer.via}:${vote.reviewer.id}`)).size).toBe(after.approvals.length);
      }),
      { numRuns: runs(), seed: SEED + 2 },
    );
    console.log(`policy fuzz: decisions applied ${tally.applied}, refused ${tally.refused}`);
    expect(tally.applied).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('left the requests made beforehand unchanged, and the server healthy with nothing logged as an error', async () => {
    for (const [id, before] of snapshot) expect(await stored(id), id).toEqual(before);
    expect(unhandled).toEqual([]);
    expect((await request('after', 'GET', '/readyz', {})).status).toBe(200);
    const errors = server.logs.filter((line) => Number(line.level) >= 50);
    expect(errors.map((line) => `${String(line.msg)}: ${JSON.stringify(line.err).slice(0, 400)}`)).toEqual([]);
    console.log(`policy fuzz: seed ${SEED}; statuses by part ${JSON.stringify(Object.fromEntries(classes))}`);
  });
});
