// Evidence: SLACK_API_URL is the only Slack host the server calls. A real server in this process, its
// workspace linked to a fake Slack Web API at SLACK_API_URL, goes through every Slack path: the link
// (auth.test), a request's message (chat.postMessage), its reminder in the thread and its escalation,
// clicks (users.info, views.open, chat.postEphemeral for a refusal), a modal's submission and the
// update when it is decided (chat.update), then "Add to Slack" (the code exchange, oauth.v2.access,
// whose answer names an incoming webhook on hooks.slack…, never called) and a request posted after it. Every outgoing request of the process is recorded (fetch,
// which Slack's client uses, and node:http/https, which the outbox's other kinds use): each one to a
// Slack method went to SLACK_API_URL, and nothing went anywhere else, not even to the response_url
// (hooks.slack.com) Slack puts in every interaction.
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountersignClient } from '@countersign/shared';
import { SlackSettings, slackInstallLink, slackInstallTokens } from '@countersign/server/integrations/slack';
import { loadSecretKey } from '@countersign/server/secrets';
import { ANA, APP_SIGNING_SECRET, BO, FakeSlack, OTHER_CHANNEL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, click, slackWorkspace, submit } from '../support/fake-slack';
import { call, startTestServer, type TestServer } from '../support/test-server';

const SLACK_METHODS = ['auth.test', 'chat.postMessage', 'chat.update', 'chat.postEphemeral', 'users.info', 'views.open', 'oauth.v2.access'];

describe('Slack: SLACK_API_URL is the only Slack host the server calls', () => {
  const outgoing: string[] = [];
  const originals = { fetch: globalThis.fetch, httpRequest: http.request, httpsRequest: https.request };
  let fake: FakeSlack;
  let server: TestServer;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    // Every outgoing request of this process, whoever makes it (the test's own calls included: they go to the server).
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      outgoing.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return originals.fetch(input, init);
    }) as typeof fetch;
    const record = (original: typeof http.request, scheme: string) => ((...args: Parameters<typeof http.request>) => {
      const [target] = args;
      const options = target as http.RequestOptions;
      outgoing.push(typeof target === 'string' || target instanceof URL ? String(target) : `${scheme}//${options.hostname ?? options.host}:${options.port ?? ''}${options.path ?? ''}`);
      return original(...args);
    }) as typeof http.request;
    http.request = record(originals.httpRequest, 'http:');
    https.request = record(originals.httpsRequest as typeof http.request, 'https:') as typeof https.request;
    server = await startTestServer({ env: { SLACK_API_URL: fake.url, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET: APP_SIGNING_SECRET } });
  });
  afterAll(async () => {
    await server?.close();
    globalThis.fetch = originals.fetch;
    http.request = originals.httpRequest;
    https.request = originals.httpsRequest;
    await fake?.stop();
  });

  it('goes through every Slack path with every call at SLACK_API_URL and none elsewhere', async () => {
    const { workspace, intakeKey } = await slackWorkspace(server, 'only-host', fake);
    const intake = new CountersignClient({ baseUrl: server.url, intakeKey });
    const adminKey = (await server.app.workspaces.issueKey(workspace, 'admin')).key;
    const policy = { rules: [
      { id: 'nudged', when: { action: 'nudged' }, then: { remindAfterSeconds: 1, escalateAfterSeconds: 2, escalateTo: { slack: OTHER_CHANNEL } } },
      { id: 'bo-only', when: { action: 'bo_only' }, then: { reviewers: { emails: [BO.email] } } },
    ] };
    expect((await call(`${server.url}/api/policy`, { method: 'PUT', headers: { authorization: `Bearer ${adminKey}` }, json: policy })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));

    // Posted, reminded, escalated, then rejected through the Reject modal: its message and escalation updated.
    const nudged = (await intake.createApproval({ action: 'nudged', summary: 'Refund', details: { amount: 5 } })).approval;
    const message = await fake.waitForMessage(nudged.approvalId);
    const escalation = await fake.waitForMessage(nudged.approvalId, OTHER_CHANNEL);
    await fake.until(() => fake.workspace.replies(message.channel, message.ts).length === 1, 'the reminder');
    const views = fake.workspace.views.length;
    await click(server, fake, message, 'countersign_reject', ANA, nudged.approvalId);
    const view = await fake.waitForView(views);
    await submit(server, fake, view, ANA, { note: { value: { type: 'plain_text_input', value: 'no' } } });
    await fake.until(() => message.updates === 1 && escalation.updates === 1, 'both messages updated');

    // A refused click: told in an ephemeral message.
    const guarded = (await intake.createApproval({ action: 'bo_only', summary: 'Refund', details: { amount: 5 } })).approval;
    const guardedMessage = await fake.waitForMessage(guarded.approvalId);
    const ephemerals = fake.workspace.ephemerals.length;
    await click(server, fake, guardedMessage, 'countersign_approve', ANA, guarded.approvalId);
    await fake.waitForEphemeral(ephemerals, ANA.id);

    // "Add to Slack" for another workspace (the team unlinked from the first): the browser's visit to
    // Slack's authorize page is not the server's, so the code is minted as that page would.
    const slack = new SlackSettings(server.app.store, server.app.workspaces, server.config.slack);
    await slack.unlink(workspace);
    const installed = (await server.app.workspaces.create('only-host-oauth')).workspace;
    const start = await fetch(slackInstallLink(slackInstallTokens(loadSecretKey(undefined, server.dataDir).key), server.url, installed, null).url, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe('https://slack.com');
    const code = fake.issueCode(authorize.searchParams.get('redirect_uri')!, authorize.searchParams.get('scope')!.split(','));
    const done = await fetch(`${server.url}/slack/oauth/callback?code=${code}&state=${authorize.searchParams.get('state')}`, { headers: { cookie: start.headers.get('set-cookie')!.split(';')[0]! } });
    expect(done.status, await done.text()).toBe(200);
    const oauthIntake = new CountersignClient({ baseUrl: server.url, intakeKey: (await server.app.workspaces.issueKey(installed, 'intake')).key });
    await fake.waitForMessage((await oauthIntake.createApproval({ action: 'process_refund', summary: 'Refund', details: { amount: 5 } })).approval.approvalId, OTHER_CHANNEL);

    const fakeOrigin = new URL(fake.url).origin;
    const serverOrigin = new URL(server.url).origin;
    const slackCalls = outgoing.filter((url) => url.startsWith(`${fakeOrigin}/`));
    const elsewhere = outgoing.filter((url) => !url.startsWith(`${fakeOrigin}/`) && !url.startsWith(`${serverOrigin}/`));
    expect(elsewhere).toEqual([]);
    expect(slackCalls.every((url) => url.startsWith(`${fake.url}/`))).toBe(true);
    expect(new Set(slackCalls.map((url) => url.slice(fake.url.length + 1)))).toEqual(new Set(SLACK_METHODS));
    // What Slack would have seen matches: every method was called on the fake itself.
    for (const method of SLACK_METHODS) expect(fake.calls(method).length, method).toBeGreaterThan(0);
    expect(outgoing.some((url) => url.includes('slack.com'))).toBe(false);
  });
});
