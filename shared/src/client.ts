// A typed client for the whole Countersign API. The apps plug in their own transport (the Zendesk
// app goes through ZAF's client.request); tests and scripts use the fetch transport.
import type { z } from 'zod';
import {
  ApprovalPage,
  ApprovalView,
  type CancelInput,
  type IntakeInput,
  type ListQueryInput,
} from './approval';
import { AuditTrail } from './callback';
import type { DecisionInput } from './decision';
import { SignInClaim, SignInStart, SignInStatus, type SignInClaimInput, type SignInStartInput } from './sign-in';
import { ErrorBody, type ErrorIssue } from './errors';
import { UNREPRESENTABLE_NUMBER, unrepresentableNumberIssues } from './fields';

/** Which credential a call needs; a transport that injects credentials itself may ignore it. */
export type Audience = 'none' | 'intake' | 'review' | 'read';

export interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  audience: Audience;
  headers: Record<string, string>;
  body?: string;
}

export interface ApiResponse {
  status: number;
  header(name: string): string | null;
  body: unknown;
}

export type Transport = (request: ApiRequest) => Promise<ApiResponse>;

export class CountersignApiError extends Error {
  readonly code: string;
  /** On 409 the server includes the approval as it now stands (who decided, and how). */
  readonly approval: ApprovalView | null;
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const parsed = ErrorBody.safeParse(body);
    super(parsed.success ? parsed.data.error.message : `Countersign answered HTTP ${status}`);
    this.name = 'CountersignApiError';
    this.code = parsed.success ? parsed.data.error.code : 'unexpected_response';
    const approval = ApprovalView.safeParse((body as { approval?: unknown } | null)?.approval);
    this.approval = approval.success ? approval.data : null;
  }
}

export interface FetchTransportOptions {
  baseUrl: string;
  intakeKey?: string;
  reviewKey?: string;
  fetch?: typeof fetch;
}

export function fetchTransport(options: FetchTransportOptions): Transport {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const headers = { ...request.headers, ...credentialHeaders(request.audience, options) };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await doFetch(base + request.path, { method: request.method, headers, body: request.body });
    const text = await response.text();
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: text ? safeJson(text) : null,
    };
  };
}

function credentialHeaders(audience: Audience, keys: FetchTransportOptions): Record<string, string> {
  const intake: Record<string, string> = keys.intakeKey ? { 'x-api-key': keys.intakeKey } : {};
  const review: Record<string, string> = keys.reviewKey ? { authorization: `Bearer ${keys.reviewKey}` } : {};
  switch (audience) {
    case 'intake':
      return intake;
    case 'review':
      return review;
    case 'read':
      return keys.reviewKey ? review : intake;
    default:
      return {};
  }
}

/**
 * JSON.stringify would write Infinity as null, and the server could not tell it was ever there: such
 * numbers are refused before anything is sent, with the error the server gives for them (422).
 */
function refuseUnrepresentableNumbers(issues: ErrorIssue[]): void {
  if (issues.length === 0) return;
  const first = issues[0]!;
  const message = `The request body is invalid — ${first.path.join('.')}: ${first.message}.`;
  throw new CountersignApiError(422, { error: { code: UNREPRESENTABLE_NUMBER, message, issues } });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface CreateOptions {
  idempotencyKey?: string;
  /** RFC 7240 `Prefer: wait=N`, in seconds. */
  preferWaitSeconds?: number;
}

export interface CreateResult {
  httpStatus: number;
  replayed: boolean;
  approval: ApprovalView;
}

export class CountersignClient {
  private readonly transport: Transport;

  constructor(transport: Transport | FetchTransportOptions) {
    this.transport = typeof transport === 'function' ? transport : fetchTransport(transport);
  }

  async createApproval(input: IntakeInput, options: CreateOptions = {}): Promise<CreateResult> {
    refuseUnrepresentableNumbers([...unrepresentableNumberIssues('details', input.details), ...unrepresentableNumberIssues('metadata', input.metadata)]);
    const headers: Record<string, string> = {};
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.preferWaitSeconds !== undefined) headers.prefer = `wait=${options.preferWaitSeconds}`;
    const response = await this.send({ method: 'POST', path: '/api/webhooks/inbound', audience: 'intake', headers, body: JSON.stringify(input) });
    return {
      httpStatus: response.status,
      replayed: response.header('idempotent-replayed') === 'true',
      approval: ApprovalView.parse(response.body),
    };
  }

  async getApproval(approvalId: string): Promise<ApprovalView> {
    return this.call(ApprovalView, 'GET', `/api/approvals/${encodeURIComponent(approvalId)}`, 'read');
  }

  async cancelApproval(approvalId: string, input: CancelInput = {}): Promise<ApprovalView> {
    return this.call(ApprovalView, 'POST', `/api/approvals/${encodeURIComponent(approvalId)}/cancel`, 'intake', input);
  }

  async listApprovals(query: ListQueryInput = {}): Promise<ApprovalPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.size > 0 ? `?${params}` : '';
    return this.call(ApprovalPage, 'GET', `/api/approvals${search}`, 'review');
  }

  async decide(approvalId: string, input: DecisionInput): Promise<ApprovalView> {
    refuseUnrepresentableNumbers(unrepresentableNumberIssues('modifiedDetails', input.modifiedDetails));
    return this.call(ApprovalView, 'POST', `/api/approvals/${encodeURIComponent(approvalId)}/decision`, 'review', input);
  }

  /** Zendesk sign-in (the Zendesk app's key): the consent page to open and the secret that collects the session. */
  async startSignIn(input: SignInStartInput): Promise<SignInStart> {
    return this.call(SignInStart, 'POST', '/api/zendesk/sign-in', 'review', input);
  }

  /** The session, once the agent has allowed it in Zendesk; `pending` until then. */
  async claimSignIn(input: SignInClaimInput): Promise<SignInClaim> {
    return this.call(SignInClaim, 'POST', '/api/zendesk/sign-in/claim', 'review', input);
  }

  /** Whether the session the transport sends (X-Countersign-Reviewer) is still accepted. */
  async signInStatus(): Promise<SignInStatus> {
    return this.call(SignInStatus, 'GET', '/api/zendesk/sign-in', 'review');
  }

  async listEvents(approvalId: string): Promise<AuditTrail> {
    return this.call(AuditTrail, 'GET', `/api/approvals/${encodeURIComponent(approvalId)}/events`, 'read');
  }

  private async call<S extends z.ZodType>(
    schema: S,
    method: ApiRequest['method'],
    path: string,
    audience: Audience,
    body?: unknown,
  ): Promise<z.output<S>> {
    const response = await this.send({ method, path, audience, headers: {}, body: body === undefined ? undefined : JSON.stringify(body) });
    return schema.parse(response.body);
  }

  private async send(request: ApiRequest): Promise<ApiResponse> {
    const response = await this.transport(request);
    if (response.status < 200 || response.status > 299) throw new CountersignApiError(response.status, response.body);
    return response;
  }
}
