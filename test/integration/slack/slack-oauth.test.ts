// "Add to Slack": the OAuth v2 install of a distributed Slack app, end to end on loopback. An install
// link made by the admin CLI names the Countersign workspace; /slack/oauth/start sends the browser to
// the (fake) authorize page with the state in a signed cookie; the callback exchanges the code with
// oauth.v2.access at SLACK_API_URL and links the team, its bot token sealed. Requests are then posted
// with that token, and the team's interactions are verified with the app-level SLACK_SIGNING_SECRET.
// Every refusal is a page, and stores nothing.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountersignClient } from '@countersign/shared';
import { loadSecretKey, SignedTokens } from '@countersign/server/secrets';
import { SlackSettings, slackInstallLink, slackInstallTokens } from '@countersign/server/integrations/slack';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import {
  ANA, APP_SIGNING_SECRET, FakeSlack, OTHER_CHANNEL, SLACK_CHANNEL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_TEAM, click, slackWorkspace,
} from '../../support/fake-slack';
import { startTestServer, type TestServer } from '../../support/test-server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

/** The CLI as a process on the server's data dir (safe while it runs). */
async function admin(server: TestServer, ...args: string[]): Promise<{ code: number; json: any; stdout: string; stderr: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, COUNTERSIGN_DATA_DIR: server.dataDir, COUNTERSIGN_PUBLIC_URL: server.url, COUNTERSIGN_LOG_LEVEL: 'silent', SLACK_CLIENT_ID, SLACK_CLIENT_SECRET },
    });
    return { code: 0, json: args.includes('--json') ? JSON.parse(stdout) : null, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, json: null, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const oauthEnv = (fake: FakeSlack) => ({
  SLACK_API_URL: fake.url, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET: APP_SIGNING_SECRET, SLACK_OAUTH_AUTHORIZE_URL: fake.authorizeUrl,
});

/** What the browser holds after /slack/oauth/start: Slack's authorize URL and the state cookie. */
async function startInstall(server: TestServer, installUrl: string): Promise<{ location: URL; cookie: string; setCookie: string }> {
  const response = await fetch(installUrl, { redirect: 'manual' });
  expect(response.status, await response.clone().text()).toBe(302);
  const setCookie = response.headers.get('set-cookie')!;
  return { location: new URL(response.headers.get('location')!), cookie: setCookie.split(';')[0]!, setCookie };
}

/** The installer on Slack's consent page: where the fake sends the browser back to. */
async function consent(location: URL): Promise<URL> {
  const response = await fetch(location, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

const callback = (server: TestServer, query: string, cookie?: string) => fetch(`${server.url}/slack/oauth/callback?${query}`, { headers: cookie ? { cookie } : {} });

describe('Slack OAuth install ("Add to Slack")', () => {
  let fake: FakeSlack;
  let server: TestServer;
  let slack: SlackSettings;
  let installTokens: SignedTokens;
  let acme: WorkspaceRecord;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    server = await startTestServer({ env: oauthEnv(fake) });
    slack = new SlackSettings(server.app.store, server.app.workspaces, server.config.slack);
    installTokens = slackInstallTokens(loadSecretKey(undefined, server.dataDir).key);
    acme = (await server.app.workspaces.create('acme')).workspace;
  });
  afterAll(async () => {
    await server?.close();
    await fake?.stop();
  });

  const stored = async (name: string) => (await server.app.store.workspaces.findByName(name))!;
  const linkFor = (workspace: WorkspaceRecord, channel: string | null = null) => slackInstallLink(installTokens, server.url, workspace, channel).url;

  it('installs from a CLI-made link: redirects with the right parameters, links the picked channel with the token sealed, posts with that token and verifies clicks with the app-level secret', async () => {
    const made = await admin(server, 'slack', 'install-link', '--workspace', 'acme', '--json');
    expect(made.code, made.stderr).toBe(0);
    expect(made.json).toMatchObject({ workspace: 'acme', channel: null, redirectUrl: `${server.url}/slack/oauth/callback` });
    expect(made.json.url).toMatch(new RegExp(`^${server.url}/slack/oauth/start\\?install=`));

    const { location, cookie, setCookie } = await startInstall(server, made.json.url);
    expect(location.origin + location.pathname).toBe(fake.authorizeUrl);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: SLACK_CLIENT_ID, scope: 'chat:write,users:read,users:read.email,incoming-webhook', state: expect.stringMatching(/^[A-Za-z0-9_-]{30,}$/), redirect_uri: `${server.url}/slack/oauth/callback`,
    });
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\/slack\/oauth/i);

    fake.installer = { deny: false, channel: OTHER_CHANNEL };
    const back = await consent(location);
    expect(back.origin + back.pathname).toBe(`${server.url}/slack/oauth/callback`);
    const done = await fetch(back, { headers: { cookie } });
    const page = await done.text();
    expect(done.status, page).toBe(200);
    expect(page).toContain('Countersign is connected to Slack');
    expect(page).toContain('acme');
    expect(page).toContain(OTHER_CHANNEL);
    expect(done.headers.get('set-cookie')).toMatch(/cs_slack_oauth=;/);

    // The exchange: the app's credentials, the code and the same redirect_uri, at SLACK_API_URL, with no bearer token.
    const exchange = fake.calls('oauth.v2.access').at(-1)!;
    expect(exchange.path).toBe('/api/oauth.v2.access');
    expect(exchange.args).toMatchObject({ client_id: SLACK_CLIENT_ID, client_secret: SLACK_CLIENT_SECRET, code: back.searchParams.get('code'), redirect_uri: `${server.url}/slack/oauth/callback` });
    expect(exchange.headers.authorization).toBeUndefined();

    const workspace = await stored('acme');
    expect(slack.link(workspace)).toMatchObject({ teamId: SLACK_TEAM, teamName: 'Acme', channel: OTHER_CHANNEL, botUserId: fake.workspace.botUserId, installedBy: 'oauth' });
    expect(slack.botToken(workspace)).toBe(fake.workspace.botToken);
    expect(JSON.stringify(workspace)).not.toContain(fake.workspace.botToken);
    expect(page).not.toContain(fake.workspace.botToken);
    for (const secret of [fake.workspace.botToken, SLACK_CLIENT_SECRET, APP_SIGNING_SECRET]) expect(server.rawLogs.join('\n')).not.toContain(secret);

    const shown = await admin(server, 'slack', 'show', '--workspace', 'acme');
    expect(shown.stdout).toContain('Installed with "Add to Slack"');
    expect(shown.stdout).toContain('"installedBy": "oauth"');
    expect(shown.stdout).not.toContain(fake.workspace.botToken);

    // A new request is posted to the picked channel with the installed token.
    const intake = new CountersignClient({ baseUrl: server.url, intakeKey: (await server.app.workspaces.issueKey(workspace, 'intake')).key });
    const { approval } = await intake.createApproval({ action: 'process_refund', summary: 'Refund', details: { amount: 5 } });
    const message = await fake.waitForMessage(approval.approvalId, OTHER_CHANNEL);
    expect(fake.calls('chat.postMessage').at(-1)!.headers.authorization).toBe(`Bearer ${fake.workspace.botToken}`);

    // The team's clicks are signed with the app's one secret: another secret (the fake workspace's own) is 401.
    expect((await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId, fake.workspace.signingSecret)).status).toBe(401);
    expect((await intake.getApproval(approval.approvalId)).status).toBe('pending');
    expect((await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId, APP_SIGNING_SECRET)).status).toBe(200);
    await expect.poll(async () => (await intake.getApproval(approval.approvalId)).status, { timeout: 15_000 }).toBe('approved');
  });

  it('asks for no channel picker when the install link names the channel, and links that channel', async () => {
    const globex = (await server.app.workspaces.create('globex')).workspace;
    // Unlinking an OAuth install forgets its token and says the app stays installed at Slack.
    const unlinked = await admin(server, 'slack', 'unlink', '--workspace', 'acme');
    expect(unlinked.stdout).toContain('forgot its bot token. The app stays installed in Acme');
    expect(slack.link(await stored('acme'))).toBeNull();
    const { location, cookie } = await startInstall(server, linkFor(globex, SLACK_CHANNEL));
    expect(location.searchParams.get('scope')).toBe('chat:write,users:read,users:read.email');
    const done = await fetch(await consent(location), { headers: { cookie } });
    expect(done.status, await done.text()).toBe(200);
    expect(slack.link(await stored('globex'))).toMatchObject({ teamId: SLACK_TEAM, channel: SLACK_CHANNEL, installedBy: 'oauth' });
  });

  it.each([
    ['no install token', () => `${server.url}/slack/oauth/start`, 400],
    ['a forged install token', () => `${server.url}/slack/oauth/start?install=${'x'.repeat(20)}.${'y'.repeat(8)}.${'z'.repeat(43)}`, 403],
    ['an expired install token', () => slackInstallLink(installTokens, server.url, acme, null, Date.now() - 25 * 3600 * 1000).url, 403],
    ['a token signed for another purpose', () => `${server.url}/slack/oauth/start?install=${new SignedTokens(loadSecretKey(undefined, server.dataDir).key, 'approval-link').sign(JSON.stringify({ workspaceId: acme.id, channel: null }), Date.now() + 3600_000)}`, 403],
  ])('refuses to start an install with %s (a page, no redirect, no cookie)', async (_name, url, status) => {
    const response = await fetch(url(), { redirect: 'manual' });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toMatch(/install link/i);
  });

  describe('a failed install leaves the linked workspace as it was', () => {
    let before: WorkspaceRecord;
    let cookie: string;
    let back: URL;

    const prepare = async () => {
      const started = await startInstall(server, linkFor(await stored('globex')));
      cookie = started.cookie;
      back = await consent(started.location);
    };
    beforeAll(async () => {
      fake.installer = { deny: false, channel: OTHER_CHANNEL };
      before = await stored('globex');
      expect(slack.link(before)).not.toBeNull();
    });
    const unchanged = async () => expect(await stored('globex')).toEqual(before);

    it('refuses a callback without the state cookie, with another state, or with a tampered cookie (400)', async () => {
      await prepare();
      const code = back.searchParams.get('code')!;
      const exchanges = fake.calls('oauth.v2.access').length;
      for (const [query, sent] of [
        [back.search.slice(1), undefined],
        [`code=${code}&state=another-state-0000000000000000000000`, cookie],
        [back.search.slice(1), 'cs_slack_oauth=abc.def.ghi'],
        [back.search.slice(1), 'cs_slack_oauth=%E0%A4%A'],
      ] as const) {
        const response = await callback(server, query, sent);
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Open the install link again');
      }
      expect(fake.calls('oauth.v2.access')).toHaveLength(exchanges);
      await unchanged();
    });

    it('shows the installer\'s refusal (access_denied) and stores nothing', async () => {
      fake.installer = { deny: true, channel: OTHER_CHANNEL };
      try {
        await prepare();
      } finally {
        fake.installer = { deny: false, channel: OTHER_CHANNEL };
      }
      expect(back.searchParams.get('error')).toBe('access_denied');
      const response = await fetch(back, { headers: { cookie } });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('access_denied');
      await unchanged();
    });

    it('answers a code Slack refuses (invalid_code) with 400, and Slack\'s other refusals with 502', async () => {
      await prepare();
      fake.failNext('oauth.v2.access', { status: 200, body: { ok: false, error: 'invalid_code' } });
      const refused = await fetch(back, { headers: { cookie } });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('invalid_code');
      await prepare();
      fake.failNext('oauth.v2.access', { status: 200, body: { ok: false, error: 'bad_client_secret' } });
      const misconfigured = await fetch(back, { headers: { cookie } });
      expect(misconfigured.status).toBe(502);
      expect(await misconfigured.text()).toContain('bad_client_secret');
      await prepare();
      fake.failNext('oauth.v2.access', { status: 500, body: 'upstream broke' });
      expect((await fetch(back, { headers: { cookie } })).status).toBe(502);
      await unchanged();
    });

    it('refuses a code used twice (Slack: invalid_code), without a 5xx', async () => {
      await prepare();
      const code = back.searchParams.get('code')!;
      fake.failNext('oauth.v2.access', { status: 200, body: { ok: false, error: 'invalid_code' } });
      expect((await fetch(back, { headers: { cookie } })).status).toBe(400);
      // The cookie was cleared with the first callback; the browser sends it no more, so a replay is a state refusal.
      expect((await callback(server, `code=${code}&state=${back.searchParams.get('state')}`)).status).toBe(400);
      await unchanged();
    });

    it('refuses to link a Slack team already linked to another workspace (409), naming no workspace', async () => {
      const started = await startInstall(server, linkFor(acme));
      const response = await fetch(await consent(started.location), { headers: { cookie: started.cookie } });
      const page = await response.text();
      expect(response.status).toBe(409);
      expect(page).toContain('already linked to another Countersign workspace');
      expect(page).not.toContain('globex');
      expect(slack.link(await stored('acme'))).toBeNull();
      await unchanged();
    });
  });
});

describe('Slack OAuth install: Slack unreachable, and Slack not configured', () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('answers a 502 page when oauth.v2.access cannot be reached, and stores nothing', async () => {
    const closed = await closedPort();
    const server = await startTestServer({ env: { ...oauthEnv(fake), SLACK_API_URL: `http://127.0.0.1:${closed}/api` } });
    try {
      const workspace = (await server.app.workspaces.create('offline')).workspace;
      const url = slackInstallLink(slackInstallTokens(loadSecretKey(undefined, server.dataDir).key), server.url, workspace, null).url;
      const { location, cookie } = await startInstall(server, url);
      const response = await fetch(await consent(location), { headers: { cookie } });
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('could not be reached');
      expect((await server.app.store.workspaces.findByName('offline'))!.settings.slack).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('answers 503 pages without a client id and secret; a `slack link`ed workspace keeps verifying with its own signing secret', async () => {
    const server = await startTestServer({ env: { SLACK_API_URL: fake.url, SLACK_SIGNING_SECRET: APP_SIGNING_SECRET, SLACK_OAUTH_AUTHORIZE_URL: fake.authorizeUrl } });
    try {
      const { workspace, intakeKey } = await slackWorkspace(server, 'self-hosted', fake);
      const url = slackInstallLink(slackInstallTokens(loadSecretKey(undefined, server.dataDir).key), server.url, workspace, null).url;
      const start = await fetch(url, { redirect: 'manual' });
      expect(start.status).toBe(503);
      expect(await start.text()).toContain('SLACK_CLIENT_ID');
      expect((await callback(server, 'code=x&state=y')).status).toBe(503);

      const intake = new CountersignClient({ baseUrl: server.url, intakeKey });
      const { approval } = await intake.createApproval({ action: 'process_refund', summary: 'Refund', details: { amount: 5 } });
      const message = await fake.waitForMessage(approval.approvalId);
      expect((await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId, APP_SIGNING_SECRET)).status).toBe(401);
      expect((await click(server, fake, message, 'countersign_approve', ANA, approval.approvalId)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
