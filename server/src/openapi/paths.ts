// Every public operation: its credentials, parameters, bodies and answers. The schemas come from
// ./schema-components (generated from shared/); what is written here is the HTTP around them. A
// route the server answers that is neither here nor in ./not-documented.ts fails
// test/integration/openapi/openapi-routes.test.ts.
import { ListQuery } from '@countersign/shared';
import { errors } from './responses';
import { inlineSchema, schemaRef, type JsonSchema, type SchemaName } from './schema-components';

const json = (name: SchemaName) => ({ 'application/json': { schema: schemaRef(name) } });
const answer = (description: string, name: SchemaName, headers?: Record<string, unknown>) => ({ description, ...(headers ? { headers } : {}), content: json(name) });
const body = (name: SchemaName, required = true) => ({ required, content: json(name) });

/** Security requirements: any one of the listed alternatives will do. */
const INTAKE = [{ IntakeKey: [] }, { IntakeBearer: [] }];
const REVIEW = [{ ReviewKey: [] }, { ReviewKey: [], ReviewerSession: [] }];
const READ = [...INTAKE, { ReviewKey: [] }];
const ADMIN = [{ AdminKey: [] }];
const PUBLIC: never[] = [];

const APPROVAL_ID = {
  name: 'approvalId',
  in: 'path',
  required: true,
  description: 'The approval\'s id (`apr_…`). An unknown or malformed id is a 404.',
  schema: { type: 'string' },
};

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The same key with the same body answers the original approval (with `idempotent-replayed: true`); with a different body, 409. Zendesk\'s `x-zendesk-webhook-invocation-id` stands in when absent.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const PREFER = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description: 'RFC 7240 `wait=N` (seconds): hold the answer until a decision, like `maxWaitMs` (which wins when both are sent). Capped by COUNTERSIGN_MAX_WAIT_MS (25 s by default).',
  schema: { type: 'string', examples: ['wait=20'] },
};

const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  in: 'header',
  required: false,
  description: 'The `id:` of the last event received: the stream replays what came after it (at least the last 10 minutes).',
  schema: { type: 'string' },
};

/** ListQuery's fields as query parameters, from the same schema the route validates with. */
function queryParameters(only?: string[]): JsonSchema[] {
  const schema = inlineSchema(ListQuery, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, property]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property }));
}

const approvalAnswer = (description: string) => answer(description, 'Approval');

export function paths(): Record<string, unknown> {
  return {
    '/api/webhooks/inbound': {
      post: {
        operationId: 'createApproval',
        tags: ['Automations'],
        summary: 'Ask for a countersignature',
        description:
          'An automation posts the action it wants to take instead of taking it. With `maxWaitMs` or `Prefer: wait=N` the answer is held until a reviewer decides or the wait ends: `200` when decided (or settled by the policy at intake), `201` while pending. When the workspace holds a Zendesk signing secret, `X-Zendesk-Webhook-Signature` and `X-Zendesk-Webhook-Signature-Timestamp` are verified too.',
        security: INTAKE,
        parameters: [IDEMPOTENCY_KEY, PREFER],
        requestBody: body('IntakeRequest'),
        responses: {
          200: approvalAnswer('Decided within the wait, or settled at intake by the policy (also a replay of such a request).'),
          201: {
            ...approvalAnswer('Created and pending (also a replay of a still-pending request).'),
            headers: {
              'idempotent-replayed': { description: '`true` when this answers an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
              'preference-applied': { description: '`wait=N` when `Prefer: wait` was honoured (N after the cap).', schema: { type: 'string' } },
            },
          },
          ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503),
        },
      },
    },
    '/api/approvals': {
      get: {
        operationId: 'listApprovals',
        tags: ['Reviewers'],
        summary: 'List approvals, newest first',
        description: 'Filter by status and by the Zendesk ticket or Intercom conversation. Reviewers\' reads carry `canDecide` and `cannotDecideReason` for the caller.',
        security: REVIEW,
        parameters: queryParameters(),
        responses: { 200: answer('One page; pass `nextCursor` as `cursor` for the next.', 'ApprovalPage'), ...errors(400, 401, 403, 429, 503) },
      },
    },
    '/api/approvals/stream': {
      get: {
        operationId: 'streamApprovals',
        tags: ['Reviewers'],
        summary: 'Follow approvals as they are created and decided (Server-Sent Events)',
        description:
          'A `text/event-stream`: `event: approval.created` and `event: approval.updated`, each with `data:` the approval (the `Approval` schema, as JSON) and `id:` a monotonically increasing cursor; a comment heartbeat every 15 s. Send `Last-Event-ID` to replay what was missed. Decisions taken on other instances reach it too.',
        security: REVIEW,
        parameters: [...queryParameters(['ticketId', 'conversationId']), LAST_EVENT_ID],
        responses: {
          200: {
            description: 'The event stream; it stays open.',
            content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events whose `data:` lines hold an `Approval` as JSON.' } } },
          },
          ...errors(400, 401, 403, 429, 503),
        },
      },
    },
    '/api/approvals/{approvalId}': {
      get: {
        operationId: 'getApproval',
        tags: ['Automations', 'Reviewers'],
        summary: 'Poll one approval',
        description: 'An intake key reads only the requests it created; a review key, any of the workspace.',
        security: READ,
        parameters: [APPROVAL_ID],
        responses: { 200: approvalAnswer('The approval as it stands.'), ...errors(401, 403, 404, 429, 503) },
      },
    },
    '/api/approvals/{approvalId}/cancel': {
      post: {
        operationId: 'cancelApproval',
        tags: ['Automations'],
        summary: 'Withdraw a pending request',
        security: INTAKE,
        parameters: [APPROVAL_ID],
        requestBody: body('CancelRequest', false),
        responses: { 200: approvalAnswer('Cancelled.'), ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503) },
      },
    },
    '/api/approvals/{approvalId}/decision': {
      post: {
        operationId: 'decideApproval',
        tags: ['Reviewers'],
        summary: 'Approve (possibly with edits) or reject',
        description:
          'Who decides is proven by the credential: a personal review key is its person; a delegating key names its user in `reviewer` (`via: "api"`); the Zendesk app key needs `X-Countersign-Reviewer` (a verified agent session). `modifiedDetails` is a JSON merge patch (RFC 7396) over `details`. Exactly one decision wins; later ones get 409 with the approval. Under a policy needing N approvals, the earlier ones answer 200 with `status: "pending"`.',
        security: REVIEW,
        parameters: [APPROVAL_ID],
        requestBody: body('DecisionRequest'),
        responses: { 200: approvalAnswer('Decided (or one more approval recorded, still pending).'), ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/approvals/{approvalId}/events': {
      get: {
        operationId: 'listApprovalEvents',
        tags: ['Automations', 'Reviewers'],
        summary: 'The audit trail: created, decided, expired, every callback attempt, notes written back',
        security: READ,
        parameters: [APPROVAL_ID],
        responses: { 200: answer('Oldest first.', 'AuditTrail'), ...errors(401, 403, 404, 429, 503) },
      },
    },
    '/api/policy': {
      get: {
        operationId: 'getPolicy',
        tags: ['Policy'],
        summary: 'The workspace\'s policy in force',
        security: ADMIN,
        responses: { 200: answer('Version 0 is the empty policy every workspace starts with.', 'Policy'), ...errors(401, 403, 429, 503) },
      },
      put: {
        operationId: 'setPolicy',
        tags: ['Policy'],
        summary: 'Replace the policy',
        description: 'An invalid document is refused whole with 422 and every issue; nothing changes.',
        security: ADMIN,
        requestBody: body('PolicyDocument'),
        responses: { 200: answer('The new policy, with its version.', 'Policy'), ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/policy/test': {
      post: {
        operationId: 'testPolicy',
        tags: ['Policy'],
        summary: 'What a candidate policy would have done with past requests (writes nothing)',
        security: ADMIN,
        requestBody: body('PolicyTestRequest'),
        responses: { 200: answer('Outcomes, rule by rule, and the requests that would have ended differently.', 'PolicyTestResult'), ...errors(400, 401, 403, 413, 415, 422, 429, 503) },
      },
    },
    '/mcp': {
      post: {
        operationId: 'mcp',
        tags: ['Agents'],
        summary: 'Model Context Protocol (Streamable HTTP, stateless)',
        description:
          'JSON-RPC 2.0 messages of the Model Context Protocol, for AI agents: the tools `request_approval` and `get_approval`. Use an MCP client rather than calling it by hand. An intake key\'s scope applies: it creates and reads its own requests, and never decides. GET and DELETE answer 405 (there are no sessions).',
        security: INTAKE,
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A JSON-RPC 2.0 request or notification (or a batch).' } } } },
        responses: {
          200: { description: 'The JSON-RPC answer.', content: { 'application/json': { schema: { type: 'object' } } } },
          202: { description: 'A notification was accepted.' },
          ...errors(400, 401, 403, 413, 415, 429),
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        tags: ['Operations'],
        summary: 'Liveness',
        security: PUBLIC,
        responses: { 200: answer('The process runs.', 'Health') },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readiness',
        tags: ['Operations'],
        summary: 'Readiness',
        description: '503 while the store is unreachable, its writes fail, or the instance is shutting down.',
        security: PUBLIC,
        responses: { 200: answer('Ready to take traffic.', 'Readiness'), ...errors(503) },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        tags: ['Operations'],
        summary: 'This document',
        security: PUBLIC,
        responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  };
}
