// Evidence: every endpoint × every credential answers what the contract promises, from the one table
// in ./endpoint-table.ts; and the table lists every route the server has (a walk of the live Express
// app's router), so a new endpoint cannot go unchecked. Every answer, error or not, also carries
// `Cache-Control: no-store`, except a static file's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
import { SignedTokens } from '@countersign/server/secrets';
import { INTERCOM_SECRET } from '../support/intercom-notifications';
import { seed001Sample } from '../support/seeds';
import { ADMIN_REVIEW_KEY, INTAKE_KEY, REVIEW_KEY, startTestServer, type TestServer } from '../support/test-server';
import { ZENDESK_SIGNING_SECRET, zendeskWorkspace } from '../support/zendesk-workspace';
import {
  CREDENTIALS, CREDENTIAL_TABLE, DATA_MARKER, ENDPOINTS, PASS_THROUGH_MOUNTS, walkEntries,
  type CredentialId, type Endpoint, type MatrixContext, type RowRequest,
} from './endpoint-table';
import { expressAppOf, routesOf } from './route-walk';

const BASE_ENV = {
  INTERCOM_CLIENT_ID: 'matrix-client-id',
  INTERCOM_CLIENT_SECRET: INTERCOM_SECRET,
  // "Add to Slack" configured, so its routes answer for the credential, not 503 for the set-up.
  SLACK_CLIENT_ID: 'matrix-slack-client-id',
  SLACK_CLIENT_SECRET: 'matrix-slack-client-secret',
  SLACK_SIGNING_SECRET: 'matrix-slack-signing-secret',
  // Rate limits off: the matrix sends hundreds of requests from one address on purpose.
  COUNTERSIGN_RATE_LIMIT_PER_KEY: '0',
  COUNTERSIGN_RATE_LIMIT_PER_IP: '0',
  COUNTERSIGN_RATE_LIMIT_PLATFORM_PER_IP: '0',
};

interface Started {
  server: TestServer;
  /** The live Express app, taken from the server's http.Server. */
  routes: string[];
  ctx: MatrixContext;
}

async function start(env: Record<string, string>): Promise<Started> {
  const server = await startTestServer({ env: { ...BASE_ENV, ...env } });
  const routes = routesOf(expressAppOf(server.app.server));
  return { server, routes, ctx: await prepare(server) };
}

/** The matrix's own policy: a rule named DATA_MARKER (so a read of it shows this workspace's data) that matches no request. */
const MATRIX_POLICY = { rules: [{ id: DATA_MARKER, when: { action: 'matrix_never_requested' }, then: { approvals: 1 } }] };
const AGENT = { id: '381', name: 'Zoe Agent', email: 'zoe@example.com', role: 'agent', groups: ['360001'] };

async function prepare(server: TestServer): Promise<MatrixContext> {
  const { workspaces, store } = server.app;
  const home = await workspaces.byName('default');
  const revoked = async (scope: 'intake' | 'review' | 'admin') => {
    const { key, record } = await workspaces.issueKey(home, scope, { label: 'revoked in the matrix' });
    await store.keys.revoke(record.id, Date.now());
    return key;
  };
  const other = (await workspaces.create('globex')).workspace;
  const zendesk = await zendeskWorkspace(server, 'zendesk-signing', { signingSecret: ZENDESK_SIGNING_SECRET });
  const secretKey = loadSecretKey(undefined, server.dataDir).key;
  const tokens = new SignedTokens(secretKey, 'approval-link');
  // Agent sessions as the server issues them once Zendesk has vouched for the agent.
  const sessions = new ReviewerSessions(secretKey);
  const fresh = async () =>
    (await server.intake.createApproval({ ...seed001Sample, details: { ...seed001Sample.details, marker: DATA_MARKER } })).approval.approvalId;
  const adminKey = (await workspaces.issueKey(home, 'admin', { label: 'matrix admin' })).key;
  const otherReviewKey = (await workspaces.issueKey(other, 'review')).key;
  const resetPolicy = async () => {
    const response = await fetch(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(MATRIX_POLICY) });
    if (response.status !== 200) throw new Error(`could not set the matrix policy: ${response.status} ${await response.text()}`);
  };
  await resetPolicy();
  return {
    intakeKey: INTAKE_KEY,
    reviewKey: REVIEW_KEY,
    personalReviewKey: ADMIN_REVIEW_KEY,
    appReviewKey: (await workspaces.issueKey(home, 'review', { label: 'zendesk app' })).key,
    agentSession: sessions.issue(home.id, AGENT).token,
    expiredAgentSession: sessions.issue(home.id, AGENT, -1000).token,
    foreignAgentSession: sessions.issue(other.id, AGENT).token,
    adminKey,
    revokedIntakeKey: await revoked('intake'),
    revokedReviewKey: await revoked('review'),
    revokedAdminKey: await revoked('admin'),
    siblingIntakeKey: (await workspaces.issueKey(home, 'intake', { label: 'a second automation' })).key,
    otherIntakeKey: (await workspaces.issueKey(other, 'intake')).key,
    otherReviewKey,
    otherAppReviewKey: otherReviewKey,
    otherAgentSession: sessions.issue(other.id, AGENT).token,
    otherAdminKey: (await workspaces.issueKey(other, 'admin')).key,
    zendeskIntakeKey: zendesk.intakeKey,
    zendeskSecret: ZENDESK_SIGNING_SECRET,
    linkToken: (approvalId) => tokens.sign(`${home.id}:${approvalId}`, Date.now() + 3600_000),
    approvalId: await fresh(),
    fresh,
    agent: AGENT,
    policyVersion: async () => (await store.policies.current(home.id))?.version ?? 0,
    resetPolicy,
  };
}

interface CellResult {
  status: number;
  cacheControl: string | null;
  body: any;
  text: string;
  request: RowRequest;
}

async function send(server: TestServer, ctx: MatrixContext, request: RowRequest, credential: CredentialId, method: string): Promise<CellResult> {
  const applied = CREDENTIAL_TABLE[credential].apply(ctx, request);
  const url = new URL(server.url + request.path);
  for (const [name, value] of Object.entries(applied.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = { ...applied.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  // Redirects are the answer (the OAuth start), never followed to somewhere else.
  const abort = new AbortController();
  const response = await fetch(url, { method, headers, body: request.body, redirect: 'manual', signal: abort.signal });
  // A live stream never ends by itself: its first chunk is the answer.
  const text = response.headers.get('content-type')?.startsWith('text/event-stream') ? await firstChunk(response, abort) : await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // HTML or text
  }
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body, text, request };
}

async function firstChunk(response: Response, abort: AbortController): Promise<string> {
  const { value } = await response.body!.getReader().read();
  abort.abort();
  return new TextDecoder().decode(value);
}

/** One row of the matrix: every credential against one endpoint. Returns the statuses and the problems. */
async function runRow(server: TestServer, ctx: MatrixContext, endpoint: Endpoint, options: { otherMethod?: string; expectAll?: number } = {}) {
  const statuses = {} as Record<CredentialId, number>;
  const problems: string[] = [];
  for (const credential of CREDENTIALS) {
    const request = await endpoint.request(ctx);
    const method = options.otherMethod ?? request.method ?? endpoint.method;
    const result = await send(server, ctx, options.otherMethod ? { ...request, body: undefined } : request, credential, method);
    statuses[credential] = result.status;
    const wanted = options.expectAll ?? endpoint.expect[credential];
    const where = `${method} ${request.path} with ${credential} (${CREDENTIAL_TABLE[credential].describe})`;
    if (result.status !== wanted) problems.push(`${where}: expected ${wanted}, got ${result.status} ${result.text.slice(0, 200)}`);
    if (result.status >= 400 && typeof result.body === 'object' && result.body !== null && 'error' in result.body) {
      const error = (result.body as { error: { code?: unknown; message?: unknown } }).error;
      if (typeof error.code !== 'string' || typeof error.message !== 'string') problems.push(`${where}: error body is not {"error":{"code","message"}}`);
    }
    const code = options.expectAll === undefined && !options.otherMethod ? endpoint.codes?.[credential] : undefined;
    if (code !== undefined && result.body?.error?.code !== code) problems.push(`${where}: expected error code ${code}, got ${JSON.stringify(result.body?.error?.code)}`);
    const mayBeCached = endpoint.cacheable === true && result.status < 300;
    if (!mayBeCached && result.cacheControl !== 'no-store') problems.push(`${where}: Cache-Control is ${result.cacheControl ?? 'absent'}, expected no-store`);
    if (mayBeCached && result.cacheControl?.includes('no-store')) problems.push(`${where}: a static file answered no-store`);
    if (!CREDENTIAL_TABLE[credential].ofThisWorkspace && result.text.includes(DATA_MARKER)) problems.push(`${where}: LEAK — the response holds this workspace's data`);
    if (options.otherMethod || options.expectAll !== undefined) continue;
    if (endpoint.showsData?.includes(credential) && !result.text.includes(DATA_MARKER)) problems.push(`${where}: expected this workspace's data in the response`);
    if (endpoint.mutates && request.approvalId) {
      const now = (await server.intake.getApproval(request.approvalId)).status;
      const changed = endpoint.mutates.changedBy.includes(credential);
      if (changed === (now === 'pending')) problems.push(`${where}: approval is ${now} afterwards, expected it ${changed ? 'changed' : 'still pending'}`);
    }
    try {
      await endpoint.check?.({ credential, status: result.status, body: result.body, ctx, request: result.request });
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  return { statuses, problems };
}

function formatMatrix(title: string, rows: Array<{ label: string; statuses: Partial<Record<CredentialId, number>> }>): string {
  const labelWidth = Math.max(...rows.map((r) => r.label.length), 8);
  const columns = CREDENTIALS.map((c) => CREDENTIAL_TABLE[c].label);
  const width = Math.max(...columns.map((c) => c.length)) + 1;
  const line = (label: string, cells: string[]) => `${label.padEnd(labelWidth)} |${cells.map((c) => c.padStart(width)).join('')}`;
  const legend = CREDENTIALS.map((c) => `  ${CREDENTIAL_TABLE[c].label.padEnd(width)} ${CREDENTIAL_TABLE[c].describe}`).join('\n');
  return [
    title,
    line('endpoint', columns),
    '-'.repeat(labelWidth + 2 + width * columns.length),
    ...rows.map((r) => line(r.label, CREDENTIALS.map((c) => String(r.statuses[c] ?? '')))),
    'credentials:',
    legend,
  ].join('\n');
}

const rowLabel = (endpoint: Endpoint, method: string = endpoint.method) => `${method} ${endpoint.route}${endpoint.mount ? '/*' : ''}${endpoint.variant ? ` (${endpoint.variant})` : ''}`;
const expectedEntries = (endpoints: Endpoint[]) => [...new Set([...endpoints.flatMap(walkEntries), ...PASS_THROUGH_MOUNTS.map((m) => m.entry)])].sort();

describe('authorization matrix: a development server with the playground on', () => {
  let started: Started;
  const printed: Array<{ label: string; statuses: Partial<Record<CredentialId, number>> }> = [];

  beforeAll(async () => {
    started = await start({ COUNTERSIGN_PLAYGROUND: 'true' });
  });
  afterAll(async () => {
    if (printed.length) console.log(formatMatrix(`Authorization matrix (${printed.length} rows × ${CREDENTIALS.length} credentials; playground on)`, printed));
    await started?.server.close();
  });

  it('lists every route the server has, and nothing it does not have', () => {
    const missingFromTable = started.routes.filter((r) => !expectedEntries(ENDPOINTS).includes(r));
    const notOnServer = expectedEntries(ENDPOINTS).filter((r) => !started.routes.includes(r));
    expect({ missingFromTable, notOnServer }).toEqual({ missingFromTable: [], notOnServer: [] });
  });

  it('treats the key header as a carrier only: either header carries either key, its scope decides', () => {
    for (const endpoint of ENDPOINTS) {
      expect(endpoint.expect.intakeBearer, rowLabel(endpoint)).toBe(endpoint.expect.intake);
      expect(endpoint.expect.reviewApiKey, rowLabel(endpoint)).toBe(endpoint.expect.review);
      expect(endpoint.expect.adminApiKey, rowLabel(endpoint)).toBe(endpoint.expect.admin);
    }
  });

  describe.each(ENDPOINTS.map((e) => [rowLabel(e), e] as const))('%s', (label, endpoint) => {
    it('answers each credential as the table says, and only this workspace’s credentials see its data', async () => {
      const { statuses, problems } = await runRow(started.server, started.ctx, endpoint);
      printed.push({ label, statuses });
      expect(problems).toEqual([]);
    });

    if (endpoint.otherMethods405) {
      it('answers any other method with 405, whatever the credential', async () => {
        const { statuses, problems } = await runRow(started.server, started.ctx, endpoint, { otherMethod: 'DELETE', expectAll: 405 });
        printed.push({ label: rowLabel(endpoint, 'DELETE'), statuses });
        expect(problems).toEqual([]);
      });
    }
  });
});

describe('authorization matrix: production (NODE_ENV=production, COUNTERSIGN_PLAYGROUND unset)', () => {
  let started: Started;
  const printed: Array<{ label: string; statuses: Partial<Record<CredentialId, number>> }> = [];

  beforeAll(async () => {
    // An empty value counts as unset, so the default applies: off in production.
    started = await start({ NODE_ENV: 'production', COUNTERSIGN_PLAYGROUND: '' });
  });
  afterAll(async () => {
    if (printed.length) console.log(formatMatrix('Playground routes in production (all must be 404)', printed));
    await started?.server.close();
  });

  it('mounts no playground route: the server has exactly the table’s other routes', () => {
    expect(started.routes.filter((r) => r.includes('/playground'))).toEqual([]);
    expect(started.routes).toEqual(expectedEntries(ENDPOINTS.filter((e) => !e.playground)));
  });

  it.each(ENDPOINTS.filter((e) => e.playground).map((e) => [rowLabel(e), e] as const))('%s is 404 for every credential', async (label, endpoint) => {
    const { statuses, problems } = await runRow(started.server, started.ctx, endpoint, { expectAll: 404 });
    printed.push({ label, statuses });
    expect(problems).toEqual([]);
  });
});
