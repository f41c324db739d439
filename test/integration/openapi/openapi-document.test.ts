// GET /openapi.json: served to anyone, valid OpenAPI 3.1 by a validator made for it, and complete: a
// walk of the live router finds no route the document lacks (beyond the one list of routes it leaves
// out on purpose, server/src/openapi/not-documented.ts), and every documented path is a real route.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_DOCUMENTED, isNotDocumented, openApiDocument } from '@countersign/server/openapi';
import { expressAppOf, routesOf } from '../../proof/route-walk';
import { call, startTestServer, type TestServer } from '../../support/test-server';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** "GET /api/approvals/{approvalId}" for every operation of the document. */
function documentedOperations(document: any): string[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/** Express's `:id` and OpenAPI's `{approvalId}` name the same path segment. */
const samePath = (entry: string) => entry.replace(/\{[^}]+\}/g, ':param').replace(/:[A-Za-z]+/g, ':param');

/**
 * Documented ahead of the server: the approvals stream is being built in parallel (DESIGN.md "Reach").
 * Remove an entry once its route is on this branch.
 */
/** Documented operations a route walk cannot see (none now that the stream is routed). */
const NOT_YET_ROUTED: string[] = [];

describe('the OpenAPI document', () => {
  let server: TestServer;
  let served: any;

  beforeAll(async () => {
    server = await startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true', INTERCOM_CLIENT_ID: 'openapi-test', INTERCOM_CLIENT_SECRET: 'openapi-test-secret' } });
    const answer = await call(`${server.url}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    served = answer.body;
  });
  afterAll(() => server?.close());

  it('is served at GET /openapi.json without a key, exactly as built from the shared schemas', () => {
    expect(served).toEqual(openApiDocument({ publicUrl: server.config.publicUrl }));
  });

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is checked by a validator that refuses a broken document', async () => {
    const broken = { ...served, paths: { ...served.paths, 'api/no-leading-slash': { get: { responses: { 200: { description: 'x' } } } } }, components: { ...served.components, securitySchemes: { Bad: { type: 'bearer' } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('validates as OpenAPI 3.1 with closed answer schemas and a server URL too', async () => {
    const result = await new Validator().validate(openApiDocument({ closedResponses: true, publicUrl: 'https://countersign.example.com/' }));
    expect(result.errors ?? []).toEqual([]);
  });

  it('documents every route the server answers, except those listed as left out on purpose', () => {
    const documented = new Set(documentedOperations(served).map(samePath));
    const live = routesOf(expressAppOf(server.app.server)).filter((entry) => !entry.startsWith('ALL ') && !entry.startsWith('USE '));
    const undocumented = live.filter((entry) => !documented.has(samePath(entry)) && !isNotDocumented(entry));
    // Fix: describe the route in server/src/openapi/paths.ts, or list it (with why) in server/src/openapi/not-documented.ts.
    expect(undocumented).toEqual([]);
    expect(live.filter(isNotDocumented).length).toBeGreaterThan(5);
  });

  it('documents only routes the server has', () => {
    const live = new Set(routesOf(expressAppOf(server.app.server)).map(samePath));
    const phantom = documentedOperations(served).filter((entry) => !live.has(samePath(entry)) && !NOT_YET_ROUTED.includes(entry));
    expect(phantom).toEqual([]);
  });

  it('leaves out nothing it also documents', () => {
    expect(documentedOperations(served).filter(isNotDocumented)).toEqual([]);
    expect(NOT_DOCUMENTED.every(({ why }) => why.length > 0)).toBe(true);
  });

  it('answers the error shape on every 4xx and 5xx, and names a credential on every operation', () => {
    for (const [path, item] of Object.entries(served.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(operation.security, `${method} ${path}`).toBeDefined();
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) < 400) continue;
          const resolved = response.$ref ? served.components.responses[response.$ref.split('/').pop()] : response;
          expect(resolved.content['application/json'].schema.$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/schemas\/(Error|ConflictError)$/);
        }
      }
    }
    expect(served.components.schemas.Error.required).toEqual(['error']);
    expect(served.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'issues']);
  });

  it('describes the intake key (x-api-key or Bearer), the review and admin keys, and the reviewer session', () => {
    const schemes = served.components.securitySchemes;
    expect(schemes.IntakeKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(schemes.IntakeBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.ReviewKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.AdminKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.ReviewerSession).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Countersign-Reviewer' });
    expect(served.paths['/api/approvals/{approvalId}/decision'].post.security).toContainEqual({ ReviewKey: [], ReviewerSession: [] });
    expect(served.paths['/api/policy'].put.security).toEqual([{ AdminKey: [] }]);
  });

  it('takes the intake body from the shared schema: required fields, enums, the wait, details as an object', () => {
    const intake = served.components.schemas.IntakeRequest;
    expect(intake.required).toEqual(expect.arrayContaining(['action', 'summary', 'details']));
    expect(intake.properties.details.type).toBe('object');
    expect(intake.properties.maxWaitMs.anyOf).toContainEqual(expect.objectContaining({ type: 'integer', minimum: 0 }));
    expect(JSON.stringify(intake.properties.riskLevel)).toContain('"critical"');
    const inbound = served.paths['/api/webhooks/inbound'].post;
    expect(Object.keys(inbound.responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(inbound.parameters.map((p: { name: string }) => p.name)).toEqual(['Idempotency-Key', 'Prefer']);
    expect(served.paths['/api/approvals'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['status', 'ticketId', 'conversationId', 'limit', 'cursor']);
    expect(Object.keys(served.paths['/api/approvals/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
  });
});
