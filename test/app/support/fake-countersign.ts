// A small in-memory Countersign behind a fake of Zendesk's request proxy: it answers client.request
// options the way the proxy does (jQuery-like: resolve on 2xx, reject with {status, responseText,
// responseJSON} otherwise) and records every request the app made. Like the real one with the Zendesk
// app's key, it decides only with a reviewer session (X-Countersign-Reviewer), as the agent it names,
// and plays Zendesk sign-in: start, claim (pending until completeSignIn or refuseSignIn), status.
// Decisions follow the request's rules as Countersign does: an agent the list says may not decide is
// refused (403), a quorum counts approvals and answers 200 still pending, the same agent twice is 409
// already_approved. Zendesk's own API (/api/v2/groups/{id}.json, asked without the proxy) answers from `groups`.
import { applyMergePatch, approvalChanges, DecisionBody, REVIEWER_SESSION_HEADER, sameJson, type ApprovalView, type Reviewer, type ReviewerSession, type SignedInReviewer } from '@countersign/shared';
import type { ZafRequestOptions } from '../../../zendesk-app/src/zaf/zaf-client';

export const PUBLIC_URL = 'https://countersign.test';
export const KEY_PLACEHOLDER = 'Bearer {{setting.review_key}}';
export const CONSENT_URL = 'https://acme.zendesk.com/oauth/authorizations/new?response_type=code&client_id=countersign&state=s';
export const CLAIM_SECRET = 'c'.repeat(43);

export interface ProxyReply {
  status: number;
  body?: unknown;
}

/** Who a decision without a body `reviewer` is recorded as (the agent a verified session names). */
const SIGNED_IN_AGENT: Reviewer = { id: '7', name: 'Avery Agent', email: 'avery@example.com', via: 'zendesk' };

let counter = 0;

export function approval(overrides: Partial<ApprovalView> = {}): ApprovalView {
  counter += 1;
  return {
    approvalId: `apr_${String(counter).padStart(4, '0')}`,
    status: 'pending',
    action: 'process_refund',
    summary: 'Refund order #1234 for a damaged item',
    details: { orderId: '1234', amount: 49.99, currency: 'EUR', notifyCustomer: true, items: [{ sku: 'MUG-1', qty: 2 }] },
    riskLevel: 'high',
    priority: 'normal',
    justification: 'The customer sent photos of the damage within the return window.',
    agentName: 'Refund bot',
    metadata: null,
    context: { platform: 'zendesk', ticketId: '4512' },
    modifiedDetails: null,
    changes: [],
    decisionNote: null,
    decidedBy: null,
    decidedAt: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-24T10:00:00.000Z',
    policy: null,
    approvals: [],
    requestedBy: null,
    ...overrides,
  };
}

export class FakeCountersign {
  readonly requests: ZafRequestOptions[] = [];
  approvals: ApprovalView[];
  /** When set, answers every request instead of the API (unreachable backend, refused key, …). */
  outage: ProxyReply | null = null;
  /** When set, answers the next decision instead of the API (a refusal the list did not foresee, …). */
  nextDecision: ProxyReply | null = null;
  /** Zendesk group names by id, as Zendesk's API answers them to the agent. */
  groups: Record<string, string> = {};
  /** Sessions this Countersign accepts, by token. */
  readonly sessions = new Map<string, SignedInReviewer>();
  /** False: the workspace has no Zendesk OAuth client (start answers 409). */
  signInConfigured = true;
  /** How often the start answer tells the sidebar to collect. */
  pollIntervalMs = 20;
  /** What the next claim answers once the agent finished in "Zendesk". */
  private finishedSignIn: Record<string, unknown> | null = null;
  private issued = 0;

  constructor(approvals: ApprovalView[] = []) {
    this.approvals = approvals;
  }

  /** What Zendesk's proxy would do with these options. */
  readonly request = async (options: ZafRequestOptions): Promise<unknown> => {
    this.requests.push(options);
    const reply = this.outage ?? this.route(options);
    const responseText = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const response = { status: reply.status, statusText: reply.status === 0 ? 'error' : 'OK', responseText, ...(reply.body === undefined ? {} : { responseJSON: reply.body }) };
    if (reply.status >= 200 && reply.status < 300) return { ...response, headers: { 'content-type': 'application/json' } };
    throw response;
  };

  groupRequests(): ZafRequestOptions[] {
    return this.requests.filter((request) => request.url.startsWith('/api/v2/groups/'));
  }

  decisionRequests(): ZafRequestOptions[] {
    return this.requests.filter((request) => request.type === 'POST' && request.url.endsWith('/decision'));
  }

  /** A session Countersign would issue for this agent, valid for `ttlMs`. */
  issueSession(reviewer: SignedInReviewer, ttlMs = 3_600_000): ReviewerSession {
    const value = `session-${++this.issued}`;
    this.sessions.set(value, reviewer);
    return { value, expiresAt: new Date(Date.now() + ttlMs).toISOString(), reviewer };
  }

  /** Zendesk vouched for `reviewer`: the next claim hands over their session. */
  completeSignIn(reviewer: SignedInReviewer): ReviewerSession {
    const session = this.issueSession(reviewer);
    this.finishedSignIn = { status: 'signed_in', session };
    return session;
  }

  refuseSignIn(code: string, message: string): void {
    this.finishedSignIn = { status: 'refused', code, message };
  }

  sessionOf(options: ZafRequestOptions): string | undefined {
    return options.headers?.[REVIEWER_SESSION_HEADER];
  }

  claimRequests(): ZafRequestOptions[] {
    return this.requests.filter((request) => request.url.endsWith('/api/zendesk/sign-in/claim'));
  }

  listRequests(): ZafRequestOptions[] {
    return this.requests.filter((request) => request.type === 'GET' && new URL(request.url).pathname === '/api/approvals');
  }

  /** Someone else decides `approvalId` behind the app's back. */
  decideElsewhere(approvalId: string, status: 'approved' | 'rejected', name: string): void {
    this.update(approvalId, { status, decidedBy: { id: '99', name, via: 'zendesk' }, decidedAt: '2026-11-23T11:00:00.000Z' });
  }

  private route(options: ZafRequestOptions): ProxyReply {
    if (options.url.startsWith('/api/v2/')) return this.zendeskApi(options);
    if (options.secure !== true || options.headers?.Authorization !== KEY_PLACEHOLDER) return error(401, 'unauthorized', 'Missing or unknown review key.');
    const url = new URL(options.url);
    if (url.origin !== PUBLIC_URL) return { status: 0 };
    if (options.type === 'GET' && url.pathname === '/api/approvals') return this.list(url.searchParams);
    if (url.pathname.startsWith('/api/zendesk/sign-in')) return this.signIn(options, url.pathname);
    const decision = /^\/api\/approvals\/([^/]+)\/decision$/.exec(url.pathname);
    if (options.type === 'POST' && decision?.[1]) {
      const next = this.nextDecision;
      this.nextDecision = null;
      return next ?? this.decide(decodeURIComponent(decision[1]), options.data, this.sessions.get(this.sessionOf(options) ?? ''));
    }
    return error(404, 'route_not_found', 'There is no such endpoint.');
  }

  /** Zendesk's API as the signed-in agent reaches it: only the groups endpoint. */
  private zendeskApi(options: ZafRequestOptions): ProxyReply {
    const group = /^\/api\/v2\/groups\/([^/]+)\.json$/.exec(options.url)?.[1];
    const name = group !== undefined && Object.hasOwn(this.groups, group) ? this.groups[group] : undefined;
    if (options.type !== 'GET' || name === undefined) return { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
    return { status: 200, body: { group: { id: Number(group), name } } };
  }

  private list(query: URLSearchParams): ProxyReply {
    const ticketId = query.get('ticketId');
    const status = query.get('status');
    const items = this.approvals.filter((item) => (!ticketId || (item.context?.platform === 'zendesk' && item.context.ticketId === ticketId)) && (!status || item.status === status));
    return { status: 200, body: { items: items.slice(0, Number(query.get('limit') ?? 25)), nextCursor: null } };
  }

  private signIn(options: ZafRequestOptions, path: string): ProxyReply {
    if (options.type === 'GET' && path === '/api/zendesk/sign-in') {
      const token = this.sessionOf(options);
      const reviewer = token ? this.sessions.get(token) : undefined;
      return { status: 200, body: reviewer ? { signedIn: true, reviewer, expiresAt: new Date(Date.now() + 3_600_000).toISOString() } : { signedIn: false, reviewer: null, expiresAt: null } };
    }
    if (options.type === 'POST' && path === '/api/zendesk/sign-in') {
      if (!this.signInConfigured) return error(409, 'zendesk_sign_in_not_configured', 'Zendesk sign-in is not set up for this workspace.');
      const origin = (JSON.parse(options.data ?? '{}') as { origin?: unknown }).origin;
      if (typeof origin !== 'string') return error(400, 'invalid_request', 'origin is required');
      return { status: 200, body: { authorizeUrl: CONSENT_URL, claimSecret: CLAIM_SECRET, expiresAt: new Date(Date.now() + 600_000).toISOString(), pollIntervalMs: this.pollIntervalMs } };
    }
    if (options.type === 'POST' && path === '/api/zendesk/sign-in/claim') {
      if ((JSON.parse(options.data ?? '{}') as { claimSecret?: unknown }).claimSecret !== CLAIM_SECRET) return { status: 200, body: { status: 'pending' } };
      const answer = this.finishedSignIn ?? { status: 'pending' };
      this.finishedSignIn = null;
      return { status: 200, body: answer };
    }
    return error(404, 'route_not_found', 'There is no such endpoint.');
  }

  private decide(approvalId: string, data: string | undefined, reviewer: SignedInReviewer | undefined): ProxyReply {
    const current = this.approvals.find((item) => item.approvalId === approvalId);
    if (!current) return error(404, 'approval_not_found', 'No such approval.');
    const parsed = DecisionBody.safeParse(JSON.parse(data ?? 'null'));
    if (!parsed.success) return error(400, 'invalid_body', parsed.error.message);
    if (!reviewer) return error(403, 'reviewer_unverified', 'This key is installed in the Zendesk app: a decision needs the agent\'s verified session.');
    if (parsed.data.reviewer) return error(403, 'reviewer_mismatch', 'A decision from the Zendesk app is the signed-in agent\'s; send no reviewer.');
    if (current.status !== 'pending') return { status: 409, body: { error: { code: 'already_decided', message: 'This approval was already decided.', issues: [] }, approval: current } };
    if (current.canDecide === false && current.cannotDecideCode !== 'already_approved') {
      return error(403, current.cannotDecideCode ?? 'reviewer_not_eligible', current.cannotDecideReason ?? 'You may not decide this request.');
    }
    const body = parsed.data;
    // As Countersign does: modifiedDetails is a merge patch; the answer carries the complete object.
    const patched = body.decision === 'approve' && body.modifiedDetails ? applyMergePatch(current.details, body.modifiedDetails) : null;
    const modifiedDetails = patched && !sameJson(patched, current.details) ? patched : null;
    if (body.decision === 'approve') {
      const quorum = this.countApproval(current, reviewer, modifiedDetails);
      if (quorum) return quorum;
    }
    return {
      status: 200,
      body: this.update(approvalId, {
        status: body.decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: reviewer,
        decidedAt: '2026-11-23T12:00:00.000Z',
        decisionNote: body.note ?? null,
        modifiedDetails,
        changes: approvalChanges(current.details, modifiedDetails),
        ...(body.decision === 'approve' ? { approvals: [...(modifiedDetails ? [] : current.approvals), { reviewer, at: '2026-11-23T12:00:00.000Z' }] } : {}),
      }),
    };
  }

  /** An approval that does not settle the request (200, still pending), or the same reviewer twice (409); null when it settles. */
  private countApproval(current: ApprovalView, reviewer: Reviewer, modifiedDetails: ApprovalView['modifiedDetails']): ProxyReply | null {
    const same = (vote: ApprovalView['approvals'][number]) => vote.reviewer.id === reviewer.id && vote.reviewer.via === reviewer.via;
    if (!modifiedDetails && current.approvals.some(same)) {
      return { status: 409, body: { error: { code: 'already_approved', message: `${reviewer.name} has already approved this request; it needs another reviewer.`, issues: [] }, approval: current } };
    }
    const approvals = [...(modifiedDetails ? [] : current.approvals), { reviewer, at: '2026-11-23T12:00:00.000Z' }];
    const required = current.policy?.approvalsRequired ?? 1;
    if (approvals.length >= required) return null;
    const remaining = required - approvals.length;
    return {
      status: 200,
      body: this.update(current.approvalId, {
        approvals,
        modifiedDetails,
        canDecide: false,
        cannotDecideCode: 'already_approved',
        cannotDecideReason: `Your approval is recorded; ${remaining} more ${remaining === 1 ? 'approval' : 'approvals'} from other reviewers must follow.`,
      }),
    };
  }

  private update(approvalId: string, changes: Partial<ApprovalView>): ApprovalView {
    const index = this.approvals.findIndex((item) => item.approvalId === approvalId);
    const updated = { ...this.approvals[index]!, ...changes };
    this.approvals[index] = updated;
    return updated;
  }
}

function error(status: number, code: string, message: string): ProxyReply {
  return { status, body: { error: { code, message, issues: [] } } };
}
