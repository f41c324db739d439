import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlaygroundWorkspace } from '../../playground/src/playground-workspace';
import { call, startTestServer, type TestServer } from '../support/test-server';

// Private callbacks stay refused: the playground's receiver and fake Zendesk are the only loopback
// addresses the outbox may reach.
describe('playground server', () => {
  let server: TestServer;
  let reviewKey: string;
  let delegatingKey: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true', COUNTERSIGN_ALLOW_PRIVATE_CALLBACKS: 'false' } });
    ({ reviewKey, delegatingKey } = await openPlaygroundWorkspace(server.app.workspaces));
  });
  afterAll(() => server.close());

  const zafRequest = (options: Record<string, unknown>) => call(`${server.url}/playground/api/zaf-request`, { json: { options } });
  const auth = { Authorization: 'Bearer {{setting.review_key}}' };
  const proxied = (answer: { body: { status: number; responseText: string } }) => ({ status: answer.body.status, body: JSON.parse(answer.body.responseText || 'null') });

  /** What the sidebar and the agent's browser do: start through the proxy, allow on the fake Zendesk's consent page, collect. */
  async function signIn(agentId: number): Promise<{ value: string; reviewer: Record<string, unknown> }> {
    const started = proxied(await zafRequest({ url: '/api/zendesk/sign-in', type: 'POST', contentType: 'application/json', data: JSON.stringify({ origin: server.url }), headers: auth }));
    expect(started.status).toBe(200);
    const consent = await fetch(started.body.authorizeUrl);
    expect(consent.status).toBe(200);
    const form = /<form method="post" action="([^"]+)"[\s\S]*?<\/form>/.exec(await consent.text())!;
    const fields = Object.fromEntries([...form[0].matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [name, value!.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))]));
    const allowed = await fetch(new URL(form[1]!, server.url), { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...fields, agent: String(agentId), decision: 'allow' }) });
    expect(allowed.status).toBe(302);
    const back = await fetch(allowed.headers.get('location')!);
    expect(back.status).toBe(200);
    const claimed = proxied(await zafRequest({ url: '/api/zendesk/sign-in/claim', type: 'POST', contentType: 'application/json', data: JSON.stringify({ claimSecret: started.body.claimSecret }), headers: auth }));
    expect(claimed.body.status).toBe('signed_in');
    return claimed.body.session;
  }

  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('posts seed 000 for the sample ticket, proxies the sidebar\'s request with the key substituted server-side, and records the signed callback and the ticket note', async () => {
    const seeded = await call(`${server.url}/playground/api/seeds/refund`, { method: 'POST' });
    expect(seeded.body).toMatchObject({ status: 201, body: { status: 'pending', action: 'process_refund', context: { platform: 'zendesk', ticketId: '9921' } } });
    const approvalId = seeded.body.body.approvalId as string;

    const listed = await zafRequest({ url: 'https://countersign.example.com/api/approvals?ticketId=9921', type: 'GET', headers: auth, secure: true });
    expect(listed.body.status).toBe(200);
    expect(JSON.parse(listed.body.responseText).items.map((a: { approvalId: string }) => a.approvalId)).toContain(approvalId);
    expect(JSON.stringify(listed.body)).not.toContain(reviewKey);

    const decision = { decision: 'approve', modifiedDetails: { ...seeded.body.body.details, amount: '99.00' } };
    // Without a Zendesk sign-in the app key may read but not decide.
    const unverified = await zafRequest({ url: `http://localhost:8080/api/approvals/${approvalId}/decision`, type: 'POST', contentType: 'application/json', data: JSON.stringify(decision), headers: auth });
    expect(proxied(unverified)).toMatchObject({ status: 403, body: { error: { code: 'reviewer_unverified' } } });
    const session = await signIn(1001);
    expect(session.reviewer).toEqual({ id: '1001', name: 'Avery Agent', email: 'avery@example.com', via: 'zendesk' });
    const decided = await zafRequest({ url: `http://localhost:8080/api/approvals/${approvalId}/decision`, type: 'POST', contentType: 'application/json', data: JSON.stringify(decision), headers: { ...auth, 'X-Countersign-Reviewer': session.value } });
    expect(decided.body.status).toBe(200);
    expect(JSON.parse(decided.body.responseText).decidedBy).toEqual(session.reviewer);

    const receiver = await waitFor(() => call(`${server.url}/playground/api/receiver`), (r) => r.body.deliveries.length > 0);
    expect(receiver.body.deliveries[0]).toMatchObject({ signatureValid: true, body: { approvalId, status: 'APPROVED', modifiedDetails: { amount: '99.00' } } });
    const notes = await waitFor(() => call(`${server.url}/playground/api/tickets/9921/notes`), (r) => r.body.notes.length > 0);
    expect(notes.body.notes[0]).toMatchObject({ public: false, body: expect.stringContaining('Approved by Avery Agent (avery@example.com) via Zendesk'), author: { id: '1001', name: 'Avery Agent' } });
  });

  it('signs in as any of the sample agents, whose Zendesk groups and role eligibility then sees', async () => {
    const morgan = await signIn(1002);
    const status = proxied(await zafRequest({ url: '/api/zendesk/sign-in', type: 'GET', headers: { ...auth, 'X-Countersign-Reviewer': morgan.value } }));
    expect(status.body).toMatchObject({ signedIn: true, reviewer: { id: '1002', name: 'Morgan Lead', via: 'zendesk' } });
    const jamie = await signIn(1003);
    expect(jamie.reviewer).toMatchObject({ id: '1003', name: 'Jamie Billing' });
  });

  it('plays Zendesk\'s OAuth checks: only its client and registered redirect URL get a consent page, codes are single-use, reads need the token', async () => {
    const started = proxied(await zafRequest({ url: '/api/zendesk/sign-in', type: 'POST', contentType: 'application/json', data: JSON.stringify({ origin: server.url }), headers: auth }));
    const authorize = new URL(started.body.authorizeUrl);
    expect(authorize.pathname).toBe('/playground/zendesk/oauth/authorizations/new');
    const page = await (await fetch(authorize)).text();
    for (const name of ['Avery Agent', 'Morgan Lead', 'Jamie Billing', 'Finance (360002)']) expect(page).toContain(name);
    for (const [param, value] of [['redirect_uri', 'https://evil.example/zendesk/oauth/callback'], ['client_id', 'someone-else']] as const) {
      const altered = new URL(authorize);
      altered.searchParams.set(param, value);
      expect((await fetch(altered)).status, param).toBe(400);
    }
    const tokens = await call(`${server.url}/playground/zendesk/oauth/tokens`, { json: { grant_type: 'authorization_code', code: 'made-up', client_id: 'countersign-playground', client_secret: 'wrong', redirect_uri: `${server.url}/zendesk/oauth/callback` } });
    expect(tokens.status).toBe(401);
    expect((await call(`${server.url}/playground/zendesk/api/v2/users/me.json`, { headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
  });

  it('passes on the API\'s refusals, e.g. 409 after a decision taken elsewhere', async () => {
    const seeded = await call(`${server.url}/playground/api/seeds/refund`, { method: 'POST' });
    const approvalId = seeded.body.body.approvalId as string;
    const elsewhere = await call(`${server.url}/playground/api/decide-elsewhere`, { json: { approvalId, decision: 'reject', note: 'Retention first' } });
    expect(elsewhere.body).toMatchObject({ status: 200, body: { status: 'rejected', decidedBy: { name: 'Sam (another agent)' } } });
    const session = await signIn(1001);
    const late = await zafRequest({ url: `/api/approvals/${approvalId}/decision`, type: 'POST', data: JSON.stringify({ decision: 'approve' }), headers: { ...auth, 'X-Countersign-Reviewer': session.value } });
    expect(late.body.status).toBe(409);
    expect(JSON.parse(late.body.responseText)).toMatchObject({ error: { code: 'already_decided' }, approval: { status: 'rejected' } });
  });

  it('only proxies to this server\'s /api/ paths and only substitutes into forwarded headers', async () => {
    expect((await zafRequest({ url: 'http://169.254.169.254/latest/meta-data/', type: 'GET' })).status).toBe(400);
    expect((await zafRequest({ url: '/playground/api/config', type: 'GET' })).status).toBe(400);
    const echoed = await zafRequest({ url: '/api/approvals/{{setting.review_key}}', type: 'GET', headers: auth });
    expect(echoed.body.status).toBe(404);
    expect(JSON.stringify(echoed.body)).not.toContain(reviewKey);
    expect((await zafRequest({ url: '/api/approvals', type: 'GET' })).body.status).toBe(401);
  });

  it('keeps each automation\'s callbacks apart (Zendesk\'s, Intercom\'s) and refuses unknown receivers', async () => {
    const seeded = await call(`${server.url}/playground/api/seeds/refund`, { method: 'POST' });
    const approvalId = seeded.body.body.approvalId as string;
    const decided = await call(`${server.url}/api/approvals/${approvalId}/decision`, { headers: { authorization: `Bearer ${delegatingKey}` }, json: { decision: 'approve', reviewer: { id: 'x', name: 'X', via: 'api' } } });
    expect(decided.status).toBe(200);
    const zendesk = await waitFor(() => call(`${server.url}/playground/api/receiver?channel=zendesk`), (r) => r.body.deliveries.some((d: { body: { approvalId: string } }) => d.body.approvalId === approvalId));
    expect(zendesk.body.deliveries.every((d: { channel: string }) => d.channel === 'zendesk')).toBe(true);
    const intercom = await call(`${server.url}/playground/api/receiver?channel=intercom`);
    expect(intercom.body.deliveries.some((d: { body: { approvalId: string } }) => d.body.approvalId === approvalId)).toBe(false);
    expect((await call(`${server.url}/playground/api/receiver?channel=nope`)).body).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await call(`${server.url}/playground/receiver/nope/callback`, { json: {} })).status).toBe(404);
  });

  it('keeps the sample conversation\'s state on the server: closed by the close webhook, reopened by Fin\'s', async () => {
    const state = async () => (await call(`${server.url}/playground/api/intercom/config`)).body.conversation.state;
    expect(await state()).toBe('open');
    const closed = await call(`${server.url}/playground/api/intercom/webhooks/closed`, { method: 'POST' });
    expect(closed.body).toMatchObject({ status: 200, topic: 'conversation.admin.closed', conversationState: 'closed' });
    expect(await state()).toBe('closed');
    await call(`${server.url}/playground/api/intercom/webhooks/duplicate`, { method: 'POST' });
    expect(await state()).toBe('closed');
    const reopened = await call(`${server.url}/playground/api/intercom/webhooks/gated`, { method: 'POST' });
    expect(reopened.body).toMatchObject({ status: 200, conversationState: 'open' });
    expect(await state()).toBe('open');
  });

  it('holds seed 001 in the real intake until the reviewer decides, then answers what the AI agent gets: rejected with the note', async () => {
    const config = await call(`${server.url}/playground/api/config`);
    expect(config.body.seeds).toEqual({ cancellation: { maxWaitMs: 25_000 } });
    const run = `run-${Date.now()}`;
    let settled = false;
    const seeding = call(`${server.url}/playground/api/seeds/cancellation`, { json: { run } }).finally(() => {
      settled = true;
    });
    const listed = await waitFor(
      () => zafRequest({ url: '/api/approvals?ticketId=9921&status=pending&limit=20', type: 'GET', headers: auth }),
      (r) => JSON.parse(r.body.responseText).items.some((a: { metadata: { playgroundRun?: string } | null }) => a.metadata?.playgroundRun === run),
    );
    const approval = JSON.parse(listed.body.responseText).items.find((a: { metadata: { playgroundRun?: string } | null }) => a.metadata?.playgroundRun === run);
    expect(approval).toMatchObject({ action: 'cancel_subscription', status: 'pending' });
    expect(settled).toBe(false);
    const note = 'Customer is in a long-term contract; escalate to retention team.';
    const decided = await call(`${server.url}/api/approvals/${approval.approvalId}/decision`, { headers: { authorization: `Bearer ${delegatingKey}` }, json: { decision: 'reject', note, reviewer: { id: '1001', name: 'Avery Agent', via: 'api' } } });
    expect(decided.status).toBe(200);
    const answer = await seeding;
    expect(answer.body).toEqual({ status: 200, body: expect.objectContaining({ approvalId: approval.approvalId, status: 'rejected', decisionNote: note, modifiedDetails: null }) });
  });

  it('refuses a seed run tag that is not a short token', async () => {
    const refused = await call(`${server.url}/playground/api/seeds/cancellation`, { json: { run: '<script>' } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('still refuses loopback callbacks from everyone else', async () => {
    const response = await call(`${server.url}/api/webhooks/inbound`, {
      headers: { 'x-api-key': (await openPlaygroundWorkspace(server.app.workspaces)).intakeKey },
      json: { action: 'x', summary: 'y', details: {}, callbackUrl: `${server.url}/api/approvals` },
    });
    expect(response.status).toBe(422);
  });

  it('refuses a fake-Zendesk write without the playground\'s credentials', async () => {
    const response = await call(`${server.url}/playground/zendesk/api/v2/tickets/9921.json`, { method: 'PUT', headers: { authorization: 'Basic eDp5' }, json: { ticket: { comment: { body: 'x', public: false } } } });
    expect(response.status).toBe(401);
  });
});

describe('playground with a short COUNTERSIGN_MAX_WAIT_MS', () => {
  it('holds seed 001 no longer than the server\'s cap, then answers pending', async () => {
    const server = await startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'true', COUNTERSIGN_MAX_WAIT_MS: '1500' } });
    try {
      expect((await call(`${server.url}/playground/api/config`)).body.seeds).toEqual({ cancellation: { maxWaitMs: 1500 } });
      const started = Date.now();
      const answer = await call(`${server.url}/playground/api/seeds/cancellation`, { json: { run: 'short-wait-run' } });
      expect(answer.body).toMatchObject({ status: 201, body: { status: 'pending' } });
      // Held for the wait (not answered at once), and released by it.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await server.close();
    }
  });
});

describe('playground switched off', () => {
  it('is not served', async () => {
    const server = await startTestServer({ env: { COUNTERSIGN_PLAYGROUND: 'false' } });
    try {
      expect((await call(`${server.url}/playground/api/config`)).status).toBe(404);
      expect(await server.app.store.workspaces.findByName('playground')).toBeNull();
    } finally {
      await server.close();
    }
  });
});
