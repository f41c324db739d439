// Zendesk vouches for the agent: the sidebar's app key starts Zendesk's OAuth consent, Zendesk sends the
// browser back to the callback, Countersign exchanges the code and reads who the agent is, and the
// sidebar collects a reviewer session that decides as that agent. Against a fake Zendesk on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CountersignClient, fetchTransport, type Transport } from '@countersign/shared';
import { ReviewerSessions } from '@countersign/server/integrations/zendesk';
import { ZendeskSettings } from '@countersign/server/integrations/zendesk';
import { loadSecretKey } from '@countersign/server/secrets';
import { SignedTokens } from '@countersign/server/secrets';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import { FakeZendesk, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, type FakeZendeskUser } from '../../support/fake-zendesk';
import { seed000Filled } from '../../support/seeds';
import { call, startTestServer, type TestServer } from '../../support/test-server';

const SIDEBAR_ORIGIN = 'https://1234.apps.zdusercontent.example';
const AGENT: FakeZendeskUser = { id: 381_000_001, name: 'Ana Agent', email: 'ana@acme.example', role: 'agent', custom_role_id: 77, groups: [360_001, 360_002, 360_003] };
const ADMIN: FakeZendeskUser = { id: 381_000_002, name: 'Max Admin', email: 'max@acme.example', role: 'admin', groups: [] };
const CUSTOMER: FakeZendeskUser = { id: 381_000_003, name: 'Casey Customer', email: 'casey@example.com', role: 'end-user', groups: [] };

interface Workspace {
  record: WorkspaceRecord;
  appKey: string;
  intake: CountersignClient;
}

describe('Zendesk sign-in (OAuth) for the sidebar', () => {
  let server: TestServer;
  let zendesk: FakeZendesk;
  let acme: Workspace;
  let globex: Workspace;

  async function connectedWorkspace(name: string, options: { oauth: boolean }): Promise<Workspace> {
    const { workspaces } = server.app;
    const settings = new ZendeskSettings(workspaces);
    let record = (await workspaces.create(name)).workspace;
    record = await settings.setCredentials(record, { subdomain: name, email: `bot@${name}.example`, apiToken: 'zd-api-token-1234', baseUrl: zendesk.url });
    if (options.oauth) record = await settings.setOAuthClient(record, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET });
    const appKey = (await workspaces.issueKey(record, 'review', { label: 'zendesk app' })).key;
    const intakeKey = (await workspaces.issueKey(record, 'intake')).key;
    return { record, appKey, intake: new CountersignClient({ baseUrl: server.url, intakeKey }) };
  }

  const bearer = (key: string, session?: string) => ({ authorization: `Bearer ${key}`, ...(session ? { 'x-countersign-reviewer': session } : {}) });
  const start = (key: string, origin = SIDEBAR_ORIGIN) => call(`${server.url}/api/zendesk/sign-in`, { headers: bearer(key), json: { origin } });
  const claim = (key: string, claimSecret: string) => call(`${server.url}/api/zendesk/sign-in/claim`, { headers: bearer(key), json: { claimSecret } });
  const status = (key: string, session?: string) => call(`${server.url}/api/zendesk/sign-in`, { headers: bearer(key, session) });
  const openPage = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  /** The whole loop as the sidebar and the agent's browser run it: start, consent, callback, claim. */
  async function signIn(workspace: Workspace, user: FakeZendeskUser | null) {
    const started = await start(workspace.appKey);
    expect(started.status).toBe(200);
    zendesk.signInAs = user?.id ?? null;
    const callback = await openPage(zendesk.consent(started.body.authorizeUrl));
    const claimed = await claim(workspace.appKey, started.body.claimSecret);
    return { started: started.body, callback, claimed };
  }

  /** A client that decides as the app key with this session, as the sidebar's transport sends it. */
  function appClient(appKey: string, session: string): CountersignClient {
    const base = fetchTransport({ baseUrl: server.url, reviewKey: appKey });
    const transport: Transport = (request) => base({ ...request, headers: { ...request.headers, 'X-Countersign-Reviewer': session } });
    return new CountersignClient(transport);
  }

  beforeAll(async () => {
    zendesk = await new FakeZendesk([AGENT, ADMIN, CUSTOMER]).start();
    server = await startTestServer({ env: { COUNTERSIGN_RETRY_SCHEDULE: '200ms,200ms' } });
    acme = await connectedWorkspace('acme', { oauth: true });
    globex = await connectedWorkspace('globex', { oauth: true });
  });

  afterAll(async () => {
    await server?.close();
    await zendesk?.stop();
  });

  beforeEach(() => {
    zendesk.refuseCodes = null;
    zendesk.pageSize = 100;
  });

  it('answers Zendesk\'s consent URL for the workspace\'s account, with the client id, Countersign\'s callback, scope read and a signed state', async () => {
    const { status: code, body } = await start(acme.appKey);
    expect(code).toBe(200);
    const url = new URL(body.authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${zendesk.url}/oauth/authorizations/new`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: OAUTH_CLIENT_ID, redirect_uri: `${server.url}/zendesk/oauth/callback`, scope: 'read', state: expect.stringMatching(/^[\w-]+\.[0-9a-z]+\.[\w-]+$/),
    });
    expect(body.claimSecret).toMatch(/^[\w-]{43}$/);
    // The claim secret travels only in this answer: never in the URL the browser (and Zendesk) sees.
    expect(body.authorizeUrl).not.toContain(body.claimSecret);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(body.pollIntervalMs).toBeGreaterThan(0);
  });

  it('signs an agent in: the code is exchanged, users/me and the group memberships are read, and the sidebar\'s claim gets a session naming that agent', async () => {
    zendesk.pageSize = 2; // the agent's three groups come on two pages
    const { callback, claimed } = await signIn(acme, AGENT);
    expect(callback.status).toBe(200);
    expect(callback.text).toContain('Zendesk confirmed that you are <strong>Ana Agent</strong>');
    // The window tells the sidebar, at the origin the state named, that it is done; it carries no secret.
    expect(callback.text).toContain(`data-origin="${SIDEBAR_ORIGIN}" data-outcome="signed_in"`);
    expect(callback.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');

    const exchange = zendesk.received.find((r) => r.path === '/oauth/tokens')!;
    expect(exchange.json).toEqual({ grant_type: 'authorization_code', code: expect.any(String), client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET, redirect_uri: `${server.url}/zendesk/oauth/callback`, scope: 'read' });
    expect(zendesk.received.filter((r) => r.path.startsWith(`/api/v2/users/${AGENT.id}/group_memberships.json`))).toHaveLength(2);

    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'signed_in', session: { value: expect.any(String), reviewer: { id: String(AGENT.id), name: 'Ana Agent', email: 'ana@acme.example', via: 'zendesk' } } });
    const left = Date.parse(claimed.body.session.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(55 * 60_000);
    expect(left).toBeLessThanOrEqual(60 * 60_000);
    expect((await status(acme.appKey, claimed.body.session.value)).body).toEqual({ signedIn: true, reviewer: claimed.body.session.reviewer, expiresAt: claimed.body.session.expiresAt });
  });

  it('decides as the signed-in agent: decidedBy from Zendesk, the audit event says zendesk_oauth, eligibility sees the groups, and the ticket note is the agent\'s', async () => {
    const hooli = await connectedWorkspace('hooli', { oauth: true });
    const { key: adminKey } = await server.app.workspaces.issueKey(hooli.record, 'admin');
    const policy = { rules: [{ id: 'group-360003-only', when: { action: 'process_refund' }, then: { approvals: 1, reviewers: { zendeskGroups: ['360003'] } } }] };
    expect((await call(`${server.url}/api/policy`, { method: 'PUT', headers: bearer(adminKey), json: policy })).status).toBe(200);
    const { approval } = await hooli.intake.createApproval(seed000Filled('7001', 'https://automation.example/cb'));

    // Max is an admin in no group: Zendesk's word on the groups decides, not the role.
    const max = (await signIn(hooli, ADMIN)).claimed.body.session.value as string;
    const forMax = await call(`${server.url}/api/approvals?ticketId=7001`, { headers: bearer(hooli.appKey, max) });
    expect(forMax.body.items[0]).toMatchObject({ approvalId: approval.approvalId, canDecide: false, cannotDecideReason: expect.stringContaining('360003') });

    const session = (await signIn(hooli, AGENT)).claimed.body.session.value as string;
    const listed = await call(`${server.url}/api/approvals?ticketId=7001`, { headers: bearer(hooli.appKey, session) });
    expect(listed.body.items[0]).toMatchObject({ approvalId: approval.approvalId, canDecide: true });

    const decided = await appClient(hooli.appKey, session).decide(approval.approvalId, { decision: 'approve' });
    expect(decided.decidedBy).toEqual({ id: String(AGENT.id), name: 'Ana Agent', email: 'ana@acme.example', via: 'zendesk' });
    const events = (await hooli.intake.listEvents(approval.approvalId)).items;
    expect(events.find((e) => e.type === 'approval.approved')?.data).toMatchObject({ verification: 'zendesk_oauth' });

    const notes = await waitFor(() => zendesk.notes('7001'), (list) => list.length > 0);
    expect(notes[0]!.json.ticket.comment).toMatchObject({ public: false, author_id: AGENT.id });
  });

  it('writes other decisions\' notes as the API token\'s user: no author_id unless Zendesk vouched for the decider', async () => {
    const { key } = await server.app.workspaces.issueKey(acme.record, 'review', { reviewer: { kind: 'delegating' } });
    const { approval } = await acme.intake.createApproval(seed000Filled('7002', 'https://automation.example/cb'));
    // The delegating key names a reviewer with Ana's Zendesk id: still not Zendesk's word for it.
    await new CountersignClient({ baseUrl: server.url, reviewKey: key }).decide(approval.approvalId, { decision: 'reject', reviewer: { id: String(AGENT.id), name: 'Ana Agent', via: 'api' } });
    const notes = await waitFor(() => zendesk.notes('7002'), (list) => list.length > 0);
    expect(notes[0]!.json.ticket.comment).not.toHaveProperty('author_id');
  });

  it('hands a session over once: a second claim with the same secret answers pending', async () => {
    const { started, claimed } = await signIn(acme, ADMIN);
    expect(claimed.body.status).toBe('signed_in');
    expect((await claim(acme.appKey, started.claimSecret)).body).toEqual({ status: 'pending' });
  });

  it('answers pending while the agent has not finished in Zendesk', async () => {
    const started = await start(acme.appKey);
    expect((await claim(acme.appKey, started.body.claimSecret)).body).toEqual({ status: 'pending' });
  });

  it('keeps workspaces apart: another workspace\'s app key neither collects the session nor can decide with it', async () => {
    const started = await start(acme.appKey);
    zendesk.signInAs = AGENT.id;
    expect((await openPage(zendesk.consent(started.body.authorizeUrl))).status).toBe(200);
    expect((await claim(globex.appKey, started.body.claimSecret)).body).toEqual({ status: 'pending' });
    const claimed = await claim(acme.appKey, started.body.claimSecret);
    expect(claimed.body.status).toBe('signed_in');

    const session = claimed.body.session.value as string;
    expect((await status(globex.appKey, session)).body).toEqual({ signedIn: false, reviewer: null, expiresAt: null });
    const { approval } = await globex.intake.createApproval(seed000Filled('7003', 'https://automation.example/cb'));
    await expect(appClient(globex.appKey, session).decide(approval.approvalId, { decision: 'approve' })).rejects.toMatchObject({ status: 403, code: 'reviewer_unverified' });
  });

  it('refuses a tampered state with a 400 page, calls Zendesk for nothing, and leaves nothing to claim', async () => {
    const started = await start(acme.appKey);
    zendesk.signInAs = AGENT.id;
    const back = new URL(zendesk.consent(started.body.authorizeUrl));
    const state = back.searchParams.get('state')!;
    const [payload, expires, mac] = state.split('.') as [string, string, string];
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forgeries = [
      `${Buffer.from(JSON.stringify({ ...altered, w: globex.record.id })).toString('base64url')}.${expires}.${mac}`,
      `${payload}.${(parseInt(expires, 36) + 3_600_000).toString(36)}.${mac}`,
      `${payload}.${expires}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      'not-a-state',
    ];
    const calls = zendesk.received.length;
    for (const forged of forgeries) {
      back.searchParams.set('state', forged);
      const page = await openPage(back.href);
      expect(page.status, forged).toBe(400);
      expect(page.text).toContain('This sign-in link has expired or was altered');
      // A state that is not genuine names no origin anyone may be told about.
      expect(page.text).not.toContain('data-origin');
    }
    expect(zendesk.received.length).toBe(calls);
    expect((await claim(acme.appKey, started.body.claimSecret)).body).toEqual({ status: 'pending' });
  });

  it('refuses an expired state', async () => {
    const started = await start(acme.appKey);
    const back = new URL(zendesk.consent(started.body.authorizeUrl));
    const tokens = new SignedTokens(loadSecretKey(undefined, server.dataDir).key, 'zendesk-sign-in-state');
    const payload = tokens.verify(back.searchParams.get('state')!)!;
    back.searchParams.set('state', tokens.sign(payload, Date.now() - 1));
    const page = await openPage(back.href);
    expect(page.status).toBe(400);
    expect(page.text).toContain('expired');
  });

  it('refuses an end-user: 403 page, and the sidebar learns why instead of waiting', async () => {
    const { callback, claimed } = await signIn(acme, CUSTOMER);
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('not an agent');
    expect(callback.text).toContain('data-outcome="refused"');
    expect(claimed.body).toMatchObject({ status: 'refused', code: 'not_an_agent', message: expect.stringContaining('Casey Customer') });
  });

  it('refuses a suspended agent', async () => {
    const suspended = { ...AGENT, id: 381_000_009, name: 'Sid Suspended', suspended: true };
    zendesk.users.set(suspended.id, suspended);
    const { callback, claimed } = await signIn(acme, suspended);
    expect(callback.status).toBe(403);
    expect(claimed.body).toMatchObject({ status: 'refused', code: 'agent_suspended' });
  });

  it('answers a code Zendesk refuses with a clear 400 page, and the sidebar learns it', async () => {
    zendesk.refuseCodes = 400;
    const { callback, claimed } = await signIn(acme, AGENT);
    expect(callback.status).toBe(400);
    expect(callback.text).toContain('Zendesk did not accept the sign-in code');
    expect(claimed.body).toMatchObject({ status: 'refused', code: 'zendesk_code_refused' });
  });

  it('answers a declined consent with a 403 page', async () => {
    const { callback, claimed } = await signIn(acme, null);
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('You did not allow Countersign');
    expect(claimed.body).toMatchObject({ status: 'refused', code: 'sign_in_declined' });
  });

  it('refuses to start where no OAuth client is stored (409), for any key but the app key (403), and for a bad origin (400)', async () => {
    const initech = await connectedWorkspace('initech', { oauth: false });
    expect(await start(initech.appKey)).toMatchObject({ status: 409, body: { error: { code: 'zendesk_sign_in_not_configured' } } });
    const { key: personal } = await server.app.workspaces.issueKey(acme.record, 'review', { reviewer: { kind: 'personal', id: 'ana', name: 'Ana' } });
    expect(await start(personal)).toMatchObject({ status: 403, body: { error: { code: 'not_the_app_key' } } });
    expect((await claim(personal, 'x'.repeat(43))).status).toBe(403);
    const { key: intake } = await server.app.workspaces.issueKey(acme.record, 'intake');
    expect(await start(intake)).toMatchObject({ status: 403, body: { error: { code: 'wrong_key_scope' } } });
    for (const origin of ['http://evil.example', 'https://a.example/path', 'javascript:alert(1)', '']) {
      expect(await start(acme.appKey, origin), origin).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    expect((await claim(acme.appKey, 'short')).status).toBe(400);
  });

  it('does not accept a session past its expiry', async () => {
    const sessions = new ReviewerSessions(loadSecretKey(undefined, server.dataDir).key);
    const { token } = sessions.issue(acme.record.id, { id: String(AGENT.id), name: 'Ana Agent', role: 'agent', groups: [] }, -1);
    expect((await status(acme.appKey, token)).body.signedIn).toBe(false);
    const { approval } = await acme.intake.createApproval(seed000Filled('7004', 'https://automation.example/cb'));
    await expect(appClient(acme.appKey, token).decide(approval.approvalId, { decision: 'approve' })).rejects.toMatchObject({ status: 403, code: 'reviewer_unverified' });
  });

  it('never logs the access token, the code, the claim secret, the client secret or the session', async () => {
    const { started, claimed } = await signIn(acme, AGENT);
    const code = [...zendesk.codes.keys()].at(-1)!;
    const accessToken = [...zendesk.tokens.keys()].at(-1)!;
    const logs = server.rawLogs.join('\n');
    for (const secret of [accessToken, code, started.claimSecret, OAUTH_CLIENT_SECRET, claimed.body.session.value, new URL(started.authorizeUrl).searchParams.get('state')!]) {
      expect(logs).not.toContain(secret);
    }
    expect(server.logs.some((line) => line.msg === 'zendesk agent signed in' && line.zendeskUser === String(AGENT.id))).toBe(true);
  });
});

async function waitFor<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('condition not met within 15 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}
