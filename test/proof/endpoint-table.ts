// THE authorization table: every endpoint the server answers × every kind of credential → the status
// the public contract promises. test/proof/authorization-matrix.test.ts runs every cell against a real
// server and fails when the server has a route (or a mounted middleware) this table does not list.
//
// Contract decisions encoded here:
// - Either key header carries either key (README: "Either key header is accepted; the key's scope
//   decides what it may do"), so an intake key sent as `Authorization: Bearer` is an intake key and a
//   review key sent as `x-api-key` is a review key. A key in any other scheme (Basic) is no key: 401.
// - No credential outside this workspace ever gets this workspace's data: another workspace's keys get
//   404 for its approvals (never 403, which would confirm the id exists) and an empty list.
// - An intake key sees only the requests it created: another intake key of the same workspace gets
//   404 for them, exactly like an unknown id. Review keys see the whole workspace.
// - Platform signatures (Intercom X-Hub-Signature, Canvas X-Body-Signature, Zendesk webhook
//   signature) and signed page links each open exactly their own endpoint and are no API credential.
// - The /playground routes are unauthenticated demo endpoints of a development server: they act only
//   on the playground's own workspace, and are not mounted when NODE_ENV=production.
// - Who decides comes from the credential (DESIGN.md "Who may decide"): a delegating review key decides
//   for the body's reviewer (required: 400 reviewer_required without one), a personal key as its
//   person (a body naming someone else is 403 reviewer_mismatch), the Zendesk app's key only with a
//   valid agent session of this workspace in X-Countersign-Reviewer (none, an expired one or another
//   workspace's: 403 reviewer_unverified; any body reviewer beside a valid one: 403 reviewer_mismatch).
// - Admin keys manage the policy (GET/PUT /api/policy, POST /api/policy/test) and nothing else: they
//   never create, read or decide requests (403), and intake and review keys get 403 on policy routes.
import { randomUUID } from 'node:crypto';
import { signCanvasBody } from '@countersign/intercom-canvas';
import { hubSignature } from '@countersign/server/integrations/intercom';
import { initializeRequest, submitRequest } from '../../playground/src/intercom/intercom-requests';
import { INTERCOM_SECRET, notification } from '../support/intercom-notifications';
import { builtPageAsset } from '../support/playground-build';
import { zendeskHeaders } from '../support/zendesk-workspace';

export const CREDENTIALS = [
  'none', 'wrongPrefix', 'garbage', 'basic', 'intakeBearer', 'reviewApiKey', 'revokedIntake', 'revokedReview', 'revokedAdmin',
  'intake', 'review', 'reviewPersonal', 'reviewApp', 'reviewAppSession', 'reviewAppExpired', 'reviewAppForeign', 'admin', 'adminApiKey',
  'siblingIntake', 'otherIntake', 'otherReview', 'otherReviewSession', 'otherAdmin', 'zendeskSigned', 'zendeskSig', 'hubSig', 'canvasSig', 'linkToken',
] as const;
export type CredentialId = (typeof CREDENTIALS)[number];

/** What the test set up, for building credentials and requests. */
export interface MatrixContext {
  /** This workspace's keys. `reviewKey` is a delegating review key, `personalReviewKey` the bootstrap personal key of reviewer "admin". */
  intakeKey: string;
  reviewKey: string;
  personalReviewKey: string;
  /** The Zendesk app's review key (no person), and agent sessions for it: this workspace's, expired, another workspace's. */
  appReviewKey: string;
  agentSession: string;
  expiredAgentSession: string;
  foreignAgentSession: string;
  adminKey: string;
  revokedIntakeKey: string;
  revokedReviewKey: string;
  revokedAdminKey: string;
  /** A second intake key of this workspace; it did not create the matrix's approvals. */
  siblingIntakeKey: string;
  /** Another workspace's keys. */
  otherIntakeKey: string;
  otherReviewKey: string;
  /** Another workspace's app review key with a valid agent session of that workspace. */
  otherAppReviewKey: string;
  otherAgentSession: string;
  otherAdminKey: string;
  /** A third workspace that holds a Zendesk signing secret, and its intake key. */
  zendeskIntakeKey: string;
  zendeskSecret: string;
  /** A signed `t` for GET /approvals/{id}/view of this workspace's approval. */
  linkToken(approvalId: string): string;
  /** This workspace's shared pending approval, created with `intakeKey` (its details carry DATA_MARKER). */
  approvalId: string;
  /** A new pending approval of this workspace, for rows that change what they touch. */
  fresh(): Promise<string>;
  /** The agent the sessions name. */
  agent: { id: string; name: string };
  /** The version of this workspace's policy now. */
  policyVersion(): Promise<number>;
  /** Puts this workspace's policy back to the matrix's own (a rule named DATA_MARKER that matches no request). */
  resetPolicy(): Promise<void>;
}

/** A request before any credential is added. */
export interface RowRequest {
  path: string;
  method?: string;
  body?: string;
  /** The approval the request is about, if any (a link token is minted for it). */
  approvalId?: string;
  /** This workspace's policy version before the request, for rows that must not change it. */
  policyVersion?: number;
}

export interface Credential {
  label: string;
  describe: string;
  /** True for credentials that legitimately see the matrix's approvals (this workspace's, created with `intakeKey`). */
  ofThisWorkspace: boolean;
  apply(ctx: MatrixContext, request: RowRequest): { headers: Record<string, string>; query?: Record<string, string> };
}

const bodyOf = (request: RowRequest) => request.body ?? '';

export const CREDENTIAL_TABLE: Record<CredentialId, Credential> = {
  none: { label: '-', describe: 'no credentials at all', ofThisWorkspace: false, apply: () => ({ headers: {} }) },
  wrongPrefix: {
    label: 'pfx', describe: 'x-api-key with a foreign prefix (sk_live_…)', ofThisWorkspace: false,
    apply: (ctx) => ({ headers: { 'x-api-key': ctx.intakeKey.replace(/^cs_live_/, 'sk_live_') } }),
  },
  garbage: { label: 'junk', describe: 'x-api-key: garbage', ofThisWorkspace: false, apply: () => ({ headers: { 'x-api-key': '%%% not a key {} ;' } }) },
  basic: {
    label: 'basic', describe: 'the valid intake key as Authorization: Basic', ofThisWorkspace: false,
    apply: (ctx) => ({ headers: { authorization: `Basic ${Buffer.from(`${ctx.intakeKey}:`).toString('base64')}` } }),
  },
  intakeBearer: { label: 'i-bear', describe: 'valid intake key sent as Authorization: Bearer', ofThisWorkspace: true, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.intakeKey}` } }) },
  reviewApiKey: { label: 'r-xapi', describe: 'valid review key sent as x-api-key', ofThisWorkspace: true, apply: (ctx) => ({ headers: { 'x-api-key': ctx.reviewKey } }) },
  revokedIntake: { label: 'i-rvk', describe: 'revoked intake key of this workspace', ofThisWorkspace: false, apply: (ctx) => ({ headers: { 'x-api-key': ctx.revokedIntakeKey } }) },
  revokedReview: { label: 'r-rvk', describe: 'revoked review key of this workspace', ofThisWorkspace: false, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.revokedReviewKey}` } }) },
  intake: { label: 'intake', describe: 'valid intake key (x-api-key)', ofThisWorkspace: true, apply: (ctx) => ({ headers: { 'x-api-key': ctx.intakeKey } }) },
  review: { label: 'review', describe: 'valid delegating review key (Authorization: Bearer)', ofThisWorkspace: true, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.reviewKey}` } }) },
  reviewPersonal: { label: 'r-pers', describe: 'valid personal review key of reviewer "admin"', ofThisWorkspace: true, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.personalReviewKey}` } }) },
  reviewApp: { label: 'r-app', describe: 'the Zendesk app review key, no agent session', ofThisWorkspace: true, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.appReviewKey}` } }) },
  reviewAppSession: {
    label: 'r-app+s', describe: 'the app review key + a valid agent session (X-Countersign-Reviewer)', ofThisWorkspace: true,
    apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.appReviewKey}`, 'x-countersign-reviewer': ctx.agentSession } }),
  },
  reviewAppExpired: {
    label: 'r-app+x', describe: 'the app review key + an expired agent session', ofThisWorkspace: true,
    apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.appReviewKey}`, 'x-countersign-reviewer': ctx.expiredAgentSession } }),
  },
  reviewAppForeign: {
    label: 'r-app+f', describe: "the app review key + another workspace's valid agent session", ofThisWorkspace: true,
    apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.appReviewKey}`, 'x-countersign-reviewer': ctx.foreignAgentSession } }),
  },
  admin: { label: 'admin', describe: 'valid admin key (Authorization: Bearer)', ofThisWorkspace: true, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.adminKey}` } }) },
  adminApiKey: { label: 'a-xapi', describe: 'valid admin key sent as x-api-key', ofThisWorkspace: true, apply: (ctx) => ({ headers: { 'x-api-key': ctx.adminKey } }) },
  revokedAdmin: { label: 'a-rvk', describe: 'revoked admin key of this workspace', ofThisWorkspace: false, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.revokedAdminKey}` } }) },
  otherReviewSession: {
    label: 'o-app+s', describe: "another workspace's app review key + its valid agent session", ofThisWorkspace: false,
    apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.otherAppReviewKey}`, 'x-countersign-reviewer': ctx.otherAgentSession } }),
  },
  otherAdmin: { label: 'o-adm', describe: "another workspace's admin key", ofThisWorkspace: false, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.otherAdminKey}` } }) },
  siblingIntake: {
    label: 'i-sib', describe: 'another valid intake key of this workspace (not the one that created the approvals)', ofThisWorkspace: false,
    apply: (ctx) => ({ headers: { 'x-api-key': ctx.siblingIntakeKey } }),
  },
  otherIntake: { label: 'o-int', describe: "another workspace's intake key", ofThisWorkspace: false, apply: (ctx) => ({ headers: { 'x-api-key': ctx.otherIntakeKey } }) },
  otherReview: { label: 'o-rev', describe: "another workspace's review key", ofThisWorkspace: false, apply: (ctx) => ({ headers: { authorization: `Bearer ${ctx.otherReviewKey}` } }) },
  zendeskSigned: {
    label: 'zd+key', describe: 'a Zendesk-signing workspace: its intake key + a valid Zendesk webhook signature', ofThisWorkspace: false,
    apply: (ctx, request) => ({ headers: { 'x-api-key': ctx.zendeskIntakeKey, ...zendeskHeaders(bodyOf(request), { secret: ctx.zendeskSecret, invocationId: randomUUID() }) } }),
  },
  zendeskSig: {
    label: 'zd-sig', describe: 'a valid Zendesk webhook signature of the body, no key', ofThisWorkspace: false,
    apply: (ctx, request) => ({ headers: zendeskHeaders(bodyOf(request), { secret: ctx.zendeskSecret }) }),
  },
  hubSig: { label: 'hub', describe: 'a valid Intercom X-Hub-Signature of the body', ofThisWorkspace: false, apply: (_ctx, request) => ({ headers: { 'x-hub-signature': hubSignature(INTERCOM_SECRET, bodyOf(request)) } }) },
  canvasSig: { label: 'canvas', describe: 'a valid Canvas Kit X-Body-Signature of the body', ofThisWorkspace: false, apply: (_ctx, request) => ({ headers: { 'x-body-signature': signCanvasBody(INTERCOM_SECRET, bodyOf(request)) } }) },
  linkToken: {
    label: 'link', describe: 'a valid signed page link ?t= for the approval concerned', ofThisWorkspace: true,
    apply: (ctx, request) => ({ headers: {}, query: { t: ctx.linkToken(request.approvalId ?? ctx.approvalId) } }),
  },
};

/** A string in the details of this workspace's approvals; no response to a foreign credential may contain it. */
export const DATA_MARKER = 'marker-7d1f0c5e-this-workspace-only';

export type Expectation = Record<CredentialId, number>;

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT';
  /** The path exactly as the server registers it (Express pattern); for `mount` rows, the mount path. */
  route: string;
  /** Middleware mounted on a path (static files) rather than a route: listed by the walk as `USE route`. */
  mount?: boolean;
  /** The route answers every other method with 405 (an `.all()` handler): adds `ALL route` and a 405 row. */
  otherMethods405?: boolean;
  /** Only mounted when the playground is on. */
  playground?: boolean;
  /**
   * Static files: a 2xx may be cached. Every other answer, and every error, must carry
   * `Cache-Control: no-store` (secrets and requests must not sit in a browser or proxy cache).
   */
  cacheable?: boolean;
  /**
   * The row can change the approval it names: each cell gets a fresh one, which afterwards must have
   * left `pending` for exactly these credentials and still be pending for every other.
   */
  mutates?: { changedBy: CredentialId[] };
  /** Tells two rows of one route apart ("no body reviewer"). */
  variant?: string;
  request(ctx: MatrixContext): Promise<RowRequest> | RowRequest;
  expect: Expectation;
  /** The error code each of these cells must answer (`error.code`). */
  codes?: Partial<Record<CredentialId, string>>;
  /** Cells whose response must contain this workspace's data (positive control for DATA_MARKER). */
  showsData?: CredentialId[];
  /** Extra assertions on a cell's response. */
  check?: (cell: { credential: CredentialId; status: number; body: any; ctx: MatrixContext; request: RowRequest }) => Promise<void> | void;
}

/** Middleware mounted on a path that passes requests on (it answers nothing itself): listed so a new mount is noticed. */
export const PASS_THROUGH_MOUNTS: Array<{ entry: string; why: string }> = [
  { entry: 'USE /api', why: 'API rate limits (per key and per address)' },
  { entry: 'USE /mcp', why: 'the same API rate limits, for the MCP endpoint' },
  { entry: 'USE /webhooks', why: 'platform rate limit per address' },
  { entry: 'USE /intercom', why: 'platform rate limit per address' },
  { entry: 'USE /slack', why: 'platform rate limit per address' },
  { entry: 'USE /approvals', why: 'platform rate limit per address' },
  { entry: 'USE /zendesk', why: 'platform rate limit per address' },
];

const json = (value: unknown) => JSON.stringify(value);

const all = (status: number, overrides: Partial<Expectation> = {}): Expectation =>
  ({ ...Object.fromEntries(CREDENTIALS.map((c) => [c, status])), ...overrides }) as Expectation;

/** Key-protected endpoints: every non-key credential is "no key" (401). */
const keyed = (overrides: Partial<Expectation>): Expectation => all(401, overrides);

const cells = <T,>(credentials: readonly CredentialId[], value: T): Partial<Record<CredentialId, T>> => Object.fromEntries(credentials.map((c) => [c, value]));
/** This workspace's intake keys, and the keys of other workspaces that may create requests. */
const INTAKE_KEYS = ['intake', 'intakeBearer', 'siblingIntake', 'otherIntake', 'zendeskSigned'] as const;
/** This workspace's review keys of every kind; they list, read and (by the rules above) decide. */
const OUR_REVIEW_KEYS = ['review', 'reviewApiKey', 'reviewPersonal', 'reviewApp', 'reviewAppSession', 'reviewAppExpired', 'reviewAppForeign'] as const;
const OTHER_REVIEW_KEYS = ['otherReview', 'otherReviewSession'] as const;
const REVIEW_KEYS = [...OUR_REVIEW_KEYS, ...OTHER_REVIEW_KEYS] as const;
const ADMIN_KEYS = ['admin', 'adminApiKey', 'otherAdmin'] as const;
/** Revoked keys are no keys. */
const REVOKED = { revokedIntake: 401, revokedReview: 401, revokedAdmin: 401 } as const;
/** A policy route: admin keys of any workspace (each its own policy), 403 for every other key. */
const adminOnly = (): Expectation => keyed({ ...cells(INTAKE_KEYS, 403), ...cells(REVIEW_KEYS, 403), ...cells(ADMIN_KEYS, 200), ...REVOKED });
const wrongScope = (credentials: readonly CredentialId[]) => cells(credentials, 'wrong_key_scope');

/** What a cell answered must be decided by the reviewer its credential proves. */
function decidedAs(expected: Partial<Record<CredentialId, { id: string; via: string }>>) {
  return ({ credential, status, body }: { credential: CredentialId; status: number; body: any }) => {
    const want = expected[credential];
    if (status !== 200 || !want) return;
    if (body.decidedBy?.id !== want.id || body.decidedBy?.via !== want.via) throw new Error(`decided as ${JSON.stringify(body.decidedBy)}, expected ${want.via}:${want.id}`);
  };
}

/** A candidate policy for the backtest row: approves this workspace's marked requests, and nothing of anyone else. */
const markedApproved = () => json({ policy: { rules: [{ id: 'matrix-marked', when: { details: [{ path: 'marker', eq: DATA_MARKER }] }, then: { decide: 'approve' } }] }, since: '1d' });
/** The document the PUT row sends: no marker in it, since another workspace's admin key sends it too (and gets it back). */
const putPolicy = json({ rules: [{ id: 'matrix-put', when: { action: 'matrix_never_requested' }, then: { approvals: 2 } }] });

const intakeBody = () => json({ action: 'issue_credit', summary: 'Credit for ticket 4512', details: { ticketId: '4512', amount: '5.00' } });
const decisionBody = json({ decision: 'approve', note: 'ok', reviewer: { id: '381', name: 'Ana Reviewer', via: 'api' } });
const INTERCOM_WORKSPACE = 'notlinkedapp';

export const ENDPOINTS: Endpoint[] = [
  // --- automations and reviewers (keys) ---
  {
    method: 'POST', route: '/api/webhooks/inbound', otherMethods405: true,
    request: () => ({ path: '/api/webhooks/inbound', body: intakeBody() }),
    expect: keyed({ ...cells(INTAKE_KEYS, 201), ...cells(REVIEW_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: wrongScope([...REVIEW_KEYS, ...ADMIN_KEYS]),
  },
  {
    method: 'GET', route: '/api/approvals', otherMethods405: true,
    request: () => ({ path: '/api/approvals' }),
    expect: keyed({ ...cells(REVIEW_KEYS, 200), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: wrongScope([...INTAKE_KEYS, ...ADMIN_KEYS]),
    showsData: [...OUR_REVIEW_KEYS],
    check: ({ credential, status, body, ctx }) => {
      if (!CREDENTIAL_TABLE[credential].ofThisWorkspace && status === 200 && body.items.some((i: { approvalId: string }) => i.approvalId === ctx.approvalId)) throw new Error('another workspace listed our approval');
      if (status === 200) checkAccess(credential, body.items.find((i: { approvalId: string }) => i.approvalId === ctx.approvalId));
    },
  },
  {
    // The live stream: any review key (each its own workspace's), never an intake or admin key.
    method: 'GET', route: '/api/approvals/stream', otherMethods405: true,
    request: () => ({ path: '/api/approvals/stream' }),
    expect: keyed({ ...cells(REVIEW_KEYS, 200), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: wrongScope([...INTAKE_KEYS, ...ADMIN_KEYS]),
  },
  {
    method: 'GET', route: '/api/approvals/:id', otherMethods405: true,
    request: (ctx) => ({ path: `/api/approvals/${ctx.approvalId}`, approvalId: ctx.approvalId }),
    expect: keyed({ intake: 200, intakeBearer: 200, ...cells(OUR_REVIEW_KEYS, 200), siblingIntake: 404, otherIntake: 404, ...cells(OTHER_REVIEW_KEYS, 404), zendeskSigned: 404, ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: { ...wrongScope(ADMIN_KEYS), siblingIntake: 'approval_not_found', otherReview: 'approval_not_found', otherReviewSession: 'approval_not_found' },
    showsData: ['intake', 'intakeBearer', ...OUR_REVIEW_KEYS],
    check: ({ credential, status, body }) => {
      if (status === 200) checkAccess(credential, body);
    },
  },
  {
    method: 'POST', route: '/api/approvals/:id/cancel', otherMethods405: true, mutates: { changedBy: ['intake', 'intakeBearer'] },
    request: async (ctx) => {
      const id = await ctx.fresh();
      return { path: `/api/approvals/${id}/cancel`, body: json({ reason: 'matrix' }), approvalId: id };
    },
    expect: keyed({ intake: 200, intakeBearer: 200, siblingIntake: 404, otherIntake: 404, zendeskSigned: 404, ...cells(REVIEW_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: wrongScope([...REVIEW_KEYS, ...ADMIN_KEYS]),
    showsData: ['intake', 'intakeBearer'],
  },
  {
    // With a body reviewer (Ana, via api): only a delegating key may name someone.
    method: 'POST', route: '/api/approvals/:id/decision', otherMethods405: true, mutates: { changedBy: ['review', 'reviewApiKey'] },
    request: async (ctx) => {
      const id = await ctx.fresh();
      return { path: `/api/approvals/${id}/decision`, body: decisionBody, approvalId: id };
    },
    expect: keyed({
      review: 200, reviewApiKey: 200, reviewPersonal: 403, reviewApp: 403, reviewAppSession: 403, reviewAppExpired: 403, reviewAppForeign: 403,
      ...cells(OTHER_REVIEW_KEYS, 404), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED,
    }),
    codes: {
      reviewPersonal: 'reviewer_mismatch', reviewAppSession: 'reviewer_mismatch', reviewApp: 'reviewer_unverified', reviewAppExpired: 'reviewer_unverified', reviewAppForeign: 'reviewer_unverified',
      otherReview: 'approval_not_found', otherReviewSession: 'approval_not_found', ...wrongScope([...INTAKE_KEYS, ...ADMIN_KEYS]),
    },
    showsData: ['review', 'reviewApiKey'],
    check: decidedAs({ review: { id: '381', via: 'api' }, reviewApiKey: { id: '381', via: 'api' } }),
  },
  {
    // Without a body reviewer: the credential alone must prove who decides.
    method: 'POST', route: '/api/approvals/:id/decision', variant: 'no body reviewer', mutates: { changedBy: ['reviewPersonal', 'reviewAppSession'] },
    request: async (ctx) => {
      const id = await ctx.fresh();
      return { path: `/api/approvals/${id}/decision`, body: json({ decision: 'approve', note: 'ok' }), approvalId: id };
    },
    expect: keyed({
      review: 400, reviewApiKey: 400, reviewPersonal: 200, reviewApp: 403, reviewAppSession: 200, reviewAppExpired: 403, reviewAppForeign: 403,
      ...cells(OTHER_REVIEW_KEYS, 404), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED,
    }),
    codes: {
      review: 'reviewer_required', reviewApiKey: 'reviewer_required', reviewApp: 'reviewer_unverified', reviewAppExpired: 'reviewer_unverified', reviewAppForeign: 'reviewer_unverified',
      otherReview: 'approval_not_found', otherReviewSession: 'approval_not_found', ...wrongScope([...INTAKE_KEYS, ...ADMIN_KEYS]),
    },
    showsData: ['reviewPersonal', 'reviewAppSession'],
    check: ({ credential, status, body, ctx }) => decidedAs({ reviewPersonal: { id: 'admin', via: 'api' }, reviewAppSession: { id: ctx.agent.id, via: 'zendesk' } })({ credential, status, body }),
  },
  {
    method: 'GET', route: '/api/approvals/:id/events', otherMethods405: true,
    request: (ctx) => ({ path: `/api/approvals/${ctx.approvalId}/events`, approvalId: ctx.approvalId }),
    expect: keyed({ intake: 200, intakeBearer: 200, ...cells(OUR_REVIEW_KEYS, 200), siblingIntake: 404, otherIntake: 404, ...cells(OTHER_REVIEW_KEYS, 404), zendeskSigned: 404, ...cells(ADMIN_KEYS, 403), ...REVOKED }),
    codes: wrongScope(ADMIN_KEYS),
    check: ({ status, body, ctx }) => {
      if (status === 200 && !body.items.some((e: { type: string }) => e.type === 'approval.created')) throw new Error(`no approval.created event for ${ctx.approvalId}`);
    },
  },
  // The MCP server for agents: an intake key's scope (a JSON-RPC ping answers 200; it creates nothing).
  {
    method: 'POST', route: '/mcp', otherMethods405: true,
    request: () => ({ path: '/mcp', body: json({ jsonrpc: '2.0', id: 1, method: 'ping' }) }),
    expect: keyed({ ...cells(INTAKE_KEYS, 200), ...cells(REVIEW_KEYS, 403), ...cells(ADMIN_KEYS, 403), ...REVOKED }),
  },
  // --- the policy (admin keys) ---
  {
    method: 'GET', route: '/api/policy', otherMethods405: true,
    request: async (ctx) => {
      await ctx.resetPolicy();
      return { path: '/api/policy' };
    },
    expect: adminOnly(),
    codes: wrongScope([...INTAKE_KEYS, ...REVIEW_KEYS]),
    showsData: ['admin', 'adminApiKey'],
    check: ({ credential, status, body }) => {
      if (status !== 200) return;
      if (typeof body.version !== 'number' || !Array.isArray(body.rules)) throw new Error(`not a policy: ${JSON.stringify(body).slice(0, 200)}`);
      if (CREDENTIAL_TABLE[credential].ofThisWorkspace && body.rules[0]?.id !== DATA_MARKER) throw new Error('not this workspace’s policy');
    },
  },
  {
    method: 'PUT', route: '/api/policy',
    request: async (ctx) => ({ path: '/api/policy', method: 'PUT', body: putPolicy, policyVersion: await ctx.policyVersion() }),
    expect: adminOnly(),
    codes: wrongScope([...INTAKE_KEYS, ...REVIEW_KEYS]),
    check: async ({ credential, status, body, ctx, request }) => {
      const now = await ctx.policyVersion();
      const ours = CREDENTIAL_TABLE[credential].ofThisWorkspace && status === 200;
      if (now !== request.policyVersion! + (ours ? 1 : 0)) throw new Error(`this workspace's policy went from version ${request.policyVersion} to ${now}`);
      if (status === 200 && (body.rules[0]?.id !== 'matrix-put' || (ours && body.version !== now))) throw new Error(`PUT answered ${JSON.stringify(body).slice(0, 200)}`);
    },
  },
  {
    method: 'POST', route: '/api/policy/test', otherMethods405: true, mutates: { changedBy: [] },
    // Over this workspace's past requests, for its own admin key only; nothing changes, not even the pending approval it would approve.
    request: async (ctx) => ({ path: '/api/policy/test', body: markedApproved(), approvalId: ctx.approvalId, policyVersion: await ctx.policyVersion() }),
    expect: adminOnly(),
    codes: wrongScope([...INTAKE_KEYS, ...REVIEW_KEYS]),
    check: async ({ credential, status, body, ctx, request }) => {
      if ((await ctx.policyVersion()) !== request.policyVersion) throw new Error('a backtest changed the policy');
      if (status !== 200) return;
      const ours = CREDENTIAL_TABLE[credential].ofThisWorkspace;
      if (ours && !(body.outcomes.approve > 0 && body.changed.some((c: { approvalId: string }) => c.approvalId === ctx.approvalId))) throw new Error(`the backtest missed this workspace's requests: ${JSON.stringify(body.outcomes)}`);
      if (!ours && (body.outcomes.approve !== 0 || JSON.stringify(body).includes(ctx.approvalId))) throw new Error('another workspace’s backtest saw our requests');
    },
  },
  // --- Zendesk sign-in: the Zendesk app's key only (a review key with no person), with or without a
  // session; personal and delegating keys already say who decides (403). Neither workspace has a
  // Zendesk OAuth client, so starting one is 409. ---
  {
    method: 'GET', route: '/api/zendesk/sign-in', otherMethods405: true,
    request: () => ({ path: '/api/zendesk/sign-in' }),
    expect: keyed({ ...cells(['reviewApp', 'reviewAppSession', 'reviewAppExpired', 'reviewAppForeign', 'otherReview', 'otherReviewSession'] as const, 200), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), review: 403, reviewApiKey: 403, reviewPersonal: 403, ...REVOKED }),
    check: ({ credential, status, body }) => {
      const withSession = credential === 'reviewAppSession' || credential === 'otherReviewSession';
      if (status === 200 && body.signedIn !== withSession) throw new Error(`signedIn ${body.signedIn} for ${credential}`);
    },
  },
  {
    method: 'POST', route: '/api/zendesk/sign-in',
    request: () => ({ path: '/api/zendesk/sign-in', body: json({ origin: 'https://matrix.example' }) }),
    expect: keyed({ ...cells(['reviewApp', 'reviewAppSession', 'reviewAppExpired', 'reviewAppForeign', 'otherReview', 'otherReviewSession'] as const, 409), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), review: 403, reviewApiKey: 403, reviewPersonal: 403, ...REVOKED }),
  },
  {
    method: 'POST', route: '/api/zendesk/sign-in/claim', otherMethods405: true,
    request: () => ({ path: '/api/zendesk/sign-in/claim', body: json({ claimSecret: 'm'.repeat(43) }) }),
    expect: keyed({ ...cells(['reviewApp', 'reviewAppSession', 'reviewAppExpired', 'reviewAppForeign', 'otherReview', 'otherReviewSession'] as const, 200), ...cells(INTAKE_KEYS, 403), ...cells(ADMIN_KEYS, 403), review: 403, reviewApiKey: 403, reviewPersonal: 403, ...REVOKED }),
    check: ({ status, body }) => {
      if (status === 200 && body.status !== 'pending') throw new Error('an unknown claim secret collected something');
    },
  },
  // Needs a state signed by this server at the start of a sign-in; no credential stands in for it.
  { method: 'GET', route: '/zendesk/oauth/callback', request: () => ({ path: '/zendesk/oauth/callback?code=matrix-code&state=matrix-state' }), expect: all(400) },
  // The consent window's script: the same few lines for everyone.
  { method: 'GET', route: '/zendesk/oauth/signed-in.js', request: () => ({ path: '/zendesk/oauth/signed-in.js' }), expect: all(200) },
  // --- platform endpoints (signatures, signed links, public install flow) ---
  {
    method: 'POST', route: '/webhooks/intercom', otherMethods405: true,
    request: () => ({ path: '/webhooks/intercom', body: json(notification('matrix.unrouted.topic', '4242', INTERCOM_WORKSPACE)) }),
    expect: all(401, { hubSig: 200 }),
  },
  {
    method: 'POST', route: '/intercom/canvas/initialize', otherMethods405: true,
    request: () => ({ path: '/intercom/canvas/initialize', body: json(initializeRequest(INTERCOM_WORKSPACE)) }),
    expect: all(401, { canvasSig: 200 }),
  },
  {
    method: 'POST', route: '/intercom/canvas/submit', otherMethods405: true,
    request: () => ({ path: '/intercom/canvas/submit', body: json(submitRequest(INTERCOM_WORKSPACE, { component_id: 'refresh' })) }),
    expect: all(401, { canvasSig: 200 }),
  },
  // Slack's signature (X-Slack-Signature with the linked app's signing secret) is the only way in; none of these is one.
  {
    method: 'POST', route: '/slack/interactions', otherMethods405: true,
    request: (ctx) => ({ path: '/slack/interactions', body: new URLSearchParams({ payload: json({ type: 'block_actions', team: { id: 'T0MATRIX' }, user: { id: 'U0MATRIX' }, actions: [{ action_id: 'countersign_approve', value: ctx.approvalId }] }) }).toString() }),
    expect: all(401),
  },
  // Public by design (the start of an install); redirects to Intercom's authorize page whoever asks.
  { method: 'GET', route: '/intercom/oauth/start', request: () => ({ path: '/intercom/oauth/start' }), expect: all(302) },
  // Needs the state cookie set by /start; no credential stands in for it.
  { method: 'GET', route: '/intercom/oauth/callback', request: () => ({ path: '/intercom/oauth/callback?code=matrix-code&state=matrix-state' }), expect: all(400) },
  // "Add to Slack" starts only from an install link the admin CLI signed for one workspace; no API key
  // or session stands in for it (a forged one is 403), and the callback needs the state cookie /start set.
  { method: 'GET', route: '/slack/oauth/start', request: () => ({ path: '/slack/oauth/start?install=matrix.install.token' }), expect: all(403) },
  { method: 'GET', route: '/slack/oauth/callback', request: () => ({ path: '/slack/oauth/callback?code=matrix-code&state=matrix-state' }), expect: all(400) },
  {
    method: 'GET', route: '/approvals/:id/view',
    request: (ctx) => ({ path: `/approvals/${ctx.approvalId}/view`, approvalId: ctx.approvalId }),
    expect: all(404, { linkToken: 200 }),
    showsData: ['linkToken'],
  },
  // --- public ---
  { method: 'GET', route: '/healthz', request: () => ({ path: '/healthz' }), expect: all(200) },
  { method: 'GET', route: '/readyz', request: () => ({ path: '/readyz' }), expect: all(200) },
  // The OpenAPI document: the same for everyone, holds no secrets.
  { method: 'GET', route: '/openapi.json', otherMethods405: true, request: () => ({ path: '/openapi.json' }), expect: all(200) },
  { method: 'GET', route: '/', request: () => ({ path: '/' }), expect: all(200) },
  // The same icon for everyone, playground on or off; the one public answer a browser may cache.
  { method: 'GET', route: '/favicon.ico', cacheable: true, request: () => ({ path: '/favicon.ico' }), expect: all(200) },
  // --- playground: unauthenticated demo endpoints, acting on the playground workspace only ---
  { method: 'GET', route: '/playground', playground: true, request: () => ({ path: '/playground' }), expect: all(200) },
  { method: 'GET', route: '/playground/static', mount: true, playground: true, cacheable: true, request: () => ({ path: builtPageAsset('index.html') }), expect: all(200) },
  // Built app files (when built); a name that is not there falls through to 404 either way.
  { method: 'GET', route: '/playground/zendesk-app', mount: true, playground: true, cacheable: true, request: () => ({ path: '/playground/zendesk-app/no-such-file.js' }), expect: all(404) },
  { method: 'GET', route: '/playground/api/config', playground: true, request: () => ({ path: '/playground/api/config' }), expect: all(200) },
  {
    method: 'POST', route: '/playground/api/zaf-request', playground: true,
    // The proxy substitutes the playground's review key; aimed at this workspace's approval it must find nothing.
    request: (ctx) => ({ path: '/playground/api/zaf-request', body: json({ options: { url: `/api/approvals/${ctx.approvalId}`, type: 'GET', headers: { Authorization: 'Bearer {{setting.review_key}}' } } }) }),
    expect: all(200),
    check: ({ body }) => {
      if (body.status !== 404) throw new Error(`the playground proxy reached another workspace's approval (forwarded status ${body.status})`);
    },
  },
  {
    method: 'POST', route: '/playground/api/seeds/:seed', playground: true,
    request: () => ({ path: '/playground/api/seeds/refund' }),
    expect: all(200),
    check: ({ body }) => {
      if (body.status !== 201) throw new Error(`seed not created in the playground workspace (forwarded status ${body.status})`);
    },
  },
  {
    method: 'POST', route: '/playground/api/decide-elsewhere', playground: true, mutates: { changedBy: [] },
    // Decides with the playground's review key: this workspace's approval must stay pending.
    request: async (ctx) => {
      const id = await ctx.fresh();
      return { path: '/playground/api/decide-elsewhere', body: json({ approvalId: id, decision: 'approve' }), approvalId: id };
    },
    expect: all(200),
    check: ({ body }) => {
      if (body.status !== 404) throw new Error(`the playground decided another workspace's approval (forwarded status ${body.status})`);
    },
  },
  { method: 'GET', route: '/playground/api/receiver', playground: true, request: () => ({ path: '/playground/api/receiver' }), expect: all(200) },
  { method: 'GET', route: '/playground/api/tickets/:ticketId/notes', playground: true, request: () => ({ path: '/playground/api/tickets/4512/notes' }), expect: all(200) },
  // The demo callback receiver records whatever arrives (and whether its signature verifies).
  { method: 'POST', route: '/playground/receiver{/:channel}/callback', playground: true, request: () => ({ path: '/playground/receiver/intercom/callback', body: json({ type: 'approval.decided' }) }), expect: all(204) },
  // The fake Zendesk checks its own Basic credentials, which no caller has.
  { method: 'PUT', route: '/playground/zendesk/api/v2/tickets/:file', playground: true, request: () => ({ path: '/playground/zendesk/api/v2/tickets/4512.json', method: 'PUT', body: json({ ticket: { comment: { body: 'x' } } }) }), expect: all(401) },
  // The fake Zendesk's OAuth provider: its consent page and token exchange check the playground's own
  // client (id, secret, registered redirect URL), and its reads a token only it handed out.
  { method: 'GET', route: '/playground/zendesk/oauth/authorizations/new', playground: true, request: () => ({ path: '/playground/zendesk/oauth/authorizations/new?response_type=code&client_id=matrix&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s' }), expect: all(400) },
  { method: 'POST', route: '/playground/zendesk/oauth/authorizations', playground: true, request: () => ({ path: '/playground/zendesk/oauth/authorizations', body: json({}) }), expect: all(400) },
  { method: 'POST', route: '/playground/zendesk/oauth/tokens', playground: true, request: () => ({ path: '/playground/zendesk/oauth/tokens', body: json({ grant_type: 'authorization_code', code: 'x', client_id: 'countersign-playground', client_secret: 'x', redirect_uri: 'x' }) }), expect: all(401) },
  { method: 'GET', route: '/playground/zendesk/api/v2/users/me.json', playground: true, request: () => ({ path: '/playground/zendesk/api/v2/users/me.json' }), expect: all(401) },
  { method: 'GET', route: '/playground/zendesk/api/v2/users/:id/group_memberships.json', playground: true, request: () => ({ path: '/playground/zendesk/api/v2/users/1001/group_memberships.json' }), expect: all(401) },
  { method: 'GET', route: '/playground/api/intercom/config', playground: true, request: () => ({ path: '/playground/api/intercom/config' }), expect: all(200) },
  { method: 'POST', route: '/playground/api/intercom/canvas/initialize', playground: true, request: () => ({ path: '/playground/api/intercom/canvas/initialize', body: json({}) }), expect: all(200) },
  { method: 'POST', route: '/playground/api/intercom/canvas/submit', playground: true, request: () => ({ path: '/playground/api/intercom/canvas/submit', body: json({ component_id: 'refresh' }) }), expect: all(200) },
  { method: 'POST', route: '/playground/api/intercom/webhooks/:kind', playground: true, request: () => ({ path: '/playground/api/intercom/webhooks/closed' }), expect: all(200) },
  { method: 'GET', route: '/playground/api/intercom/conversations/:id/notes', playground: true, request: () => ({ path: '/playground/api/intercom/conversations/4242/notes' }), expect: all(200) },
  // The fake Intercom REST API checks its own access token, which no caller has.
  { method: 'POST', route: '/playground/intercom-api/conversations/:id/reply', playground: true, request: () => ({ path: '/playground/intercom-api/conversations/4242/reply', body: json({ message_type: 'note', type: 'admin', admin_id: '1', body: 'x' }) }), expect: all(401) },
  // The playground's Slack tab: the fake channel, and clicks and submissions it signs as Slack would for its own fake Slack team.
  { method: 'GET', route: '/playground/api/slack/state', playground: true, request: () => ({ path: '/playground/api/slack/state' }), expect: all(200) },
  {
    method: 'POST', route: '/playground/api/slack/click', playground: true,
    // A message the fake channel does not hold: nothing to click, whoever asks.
    request: () => ({ path: '/playground/api/slack/click', body: json({ ts: '1.000001', actionId: 'countersign_approve', userId: 'U0PAT' }) }),
    expect: all(404),
  },
  { method: 'POST', route: '/playground/api/slack/submit', playground: true, request: () => ({ path: '/playground/api/slack/submit', body: json({ viewId: 'VNOSUCHVIEW', values: {} }) }), expect: all(404) },
  { method: 'POST', route: '/playground/api/slack/views/:id/close', playground: true, request: () => ({ path: '/playground/api/slack/views/VNOSUCHVIEW/close' }), expect: all(204) },
  // The fake Slack Web API checks its own bot token, which no caller has (Slack answers 200 {"ok": false}).
  {
    method: 'POST', route: '/playground/slack-api/:method', playground: true,
    request: () => ({ path: '/playground/slack-api/chat.postMessage', body: 'channel=C0APPROVALS&text=x' }),
    expect: all(200),
    check: ({ body }) => {
      if (body.ok !== false || body.error !== 'invalid_auth') throw new Error(`the fake Slack API accepted a call without its token: ${JSON.stringify(body)}`);
    },
  },
  // Only with INTERCOM_APP_ID; the matrix runs without one.
  { method: 'GET', route: '/playground/intercom/messenger-sdk.js', playground: true, request: () => ({ path: '/playground/intercom/messenger-sdk.js' }), expect: all(404) },
];

/**
 * A reviewer's read says whether that caller may decide the (pending) approval: a personal key and a
 * verified agent yes, the app key without a valid session no (with the reason), a delegating key
 * nothing (it decides for whomever its tool names).
 */
function checkAccess(credential: CredentialId, view: { canDecide?: boolean; cannotDecideReason?: string | null } | undefined): void {
  if (!view) return;
  const expected: Partial<Record<CredentialId, boolean>> = { reviewPersonal: true, reviewAppSession: true, reviewApp: false, reviewAppExpired: false, reviewAppForeign: false };
  const want = expected[credential];
  if (want === undefined) {
    if ('canDecide' in view) throw new Error(`canDecide present for ${credential}`);
    return;
  }
  if (view.canDecide !== want) throw new Error(`canDecide is ${view.canDecide}, expected ${want}`);
  if (!want && !view.cannotDecideReason) throw new Error('no reason given why it cannot decide');
}

/** The (method, path) entries an endpoint accounts for in the route walk. */
export function walkEntries(endpoint: Endpoint): string[] {
  if (endpoint.mount) return [`USE ${endpoint.route}`];
  return [`${endpoint.method} ${endpoint.route}`, ...(endpoint.otherMethods405 ? [`ALL ${endpoint.route}`] : [])];
}
