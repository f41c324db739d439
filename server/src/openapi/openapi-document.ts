// GET /openapi.json: the OpenAPI 3.1 description of the public API, assembled from the shared zod
// schemas (./schema-components) and the operations around them (./paths).
import { paths } from './paths';
import { errorResponses } from './responses';
import { schemaComponents, type ComponentOptions } from './schema-components';

export interface OpenApiOptions extends ComponentOptions {
  /** Where the server is reached (COUNTERSIGN_PUBLIC_URL); without it, URLs are relative to the document. */
  publicUrl?: string | null;
  version?: string;
}

const SECURITY_SCHEMES = {
  IntakeKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An intake key (`cs_live_…`): creates, reads and cancels its own requests; it can never decide.' },
  IntakeBearer: { type: 'http', scheme: 'bearer', description: 'An intake key sent as `Authorization: Bearer`. Either header carries either key; the key\'s scope decides what it may do.' },
  ReviewKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'A review key (`cs_review_…`; also accepted as `x-api-key`): lists, reads and decides. Personal keys decide as their person, delegating keys as the body\'s `reviewer`; the Zendesk app key decides only with a ReviewerSession.',
  },
  AdminKey: { type: 'http', scheme: 'bearer', description: 'An admin key: manages the workspace\'s policy; it never creates or decides requests.' },
  ReviewerSession: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Countersign-Reviewer',
    description: 'A verified agent session, issued after Zendesk vouched for the agent; sent beside the Zendesk app\'s review key.',
  },
};

const TAGS = [
  { name: 'Automations', description: 'What automations call with an intake key: ask, poll, withdraw.' },
  { name: 'Reviewers', description: 'What reviewers\' tools call with a review key: list, follow, decide.' },
  { name: 'Policy', description: 'Who may decide what, with an admin key.' },
  { name: 'Agents', description: 'The MCP server for AI agents.' },
  { name: 'Operations', description: 'Health, readiness, this document.' },
];

export function openApiDocument(options: OpenApiOptions = {}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Countersign',
      version: options.version ?? '0.1.0',
      summary: 'Human countersignature for the risky actions of AI support agents.',
      description:
        'Every error is `{"error":{"code","message","issues":[…],"requestId"}}` with a 4xx status for anything the caller did wrong. Answers may gain fields; fields are never renamed. Decision callbacks (Standard Webhooks, signed with the workspace\'s `whsec_` secret) are described in the README.',
      license: { name: 'Proprietary' },
    },
    ...(options.publicUrl ? { servers: [{ url: options.publicUrl.replace(/\/+$/, '') }] } : {}),
    tags: TAGS,
    paths: paths(),
    components: {
      schemas: schemaComponents(options),
      responses: errorResponses(),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
