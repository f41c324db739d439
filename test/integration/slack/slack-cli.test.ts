// `npm run admin -- slack link|show|unlink` as a process, against a fake Slack Web API (SLACK_API_URL):
// the token is checked with auth.test, which names the team; the token and signing secret come from
// the environment and are stored sealed; show never prints them; a server on the same data dir then
// posts the workspace's requests to the linked channel.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountersignClient } from '@countersign/shared';
import { readSlackInstall, slackInstallTokens } from '@countersign/server/integrations/slack';
import { loadSecretKey } from '@countersign/server/secrets';
import { FakeSlack, SLACK_CHANNEL, SLACK_TEAM } from '../../support/fake-slack';
import { makeTempDir } from '../../support/temp-dir';
import { startTestServer } from '../../support/test-server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

describe('admin CLI: slack', () => {
  const temp = makeTempDir('slack-cli');
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    temp.remove();
  });

  const admin = async (env: Record<string, string>, ...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', ...args, '--json'], {
        cwd: ROOT,
        env: { ...process.env, COUNTERSIGN_DATA_DIR: temp.dir, COUNTERSIGN_LOG_LEVEL: 'silent', SLACK_API_URL: fake.url, ...env },
      });
      return { code: 0, json: JSON.parse(stdout), stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, json: null, stderr: failed.stderr };
    }
  };
  const secrets = () => ({ SLACK_BOT_TOKEN: fake.workspace.botToken, SLACK_SIGNING_SECRET: fake.workspace.signingSecret });

  it('links a workspace after auth.test names the team, keeps the secrets sealed, shows no secret, and unlinks', async () => {
    expect((await admin({}, 'workspace', 'create', 'acme')).code).toBe(0);
    const linked = await admin(secrets(), 'slack', 'link', '--workspace', 'acme', '--channel', SLACK_CHANNEL);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.json).toMatchObject({ workspace: 'acme', link: { teamId: SLACK_TEAM, teamName: 'Acme', channel: SLACK_CHANNEL, botUserId: fake.workspace.botUserId }, apiUrl: fake.url, botToken: true, signingSecret: true });
    expect(fake.calls('auth.test').at(-1)!.headers.authorization).toBe(`Bearer ${fake.workspace.botToken}`);

    const shown = await admin({}, 'slack', 'show', '--workspace', 'acme');
    expect(shown.json).toMatchObject({ link: { teamId: SLACK_TEAM, channel: SLACK_CHANNEL }, botToken: true, signingSecret: true });
    expect(JSON.stringify(shown.json)).not.toContain(fake.workspace.botToken);
    expect(JSON.stringify(shown.json)).not.toContain(fake.workspace.signingSecret);

    // The server on the same store posts the workspace's requests to the linked channel.
    const server = await startTestServer({ dataDir: temp.dir, env: { SLACK_API_URL: fake.url } });
    try {
      const workspace = (await server.app.store.workspaces.findByName('acme'))!;
      expect(JSON.stringify(workspace)).not.toContain(fake.workspace.botToken);
      expect(JSON.stringify(workspace)).not.toContain(fake.workspace.signingSecret);
      const intake = new CountersignClient({ baseUrl: server.url, intakeKey: (await server.app.workspaces.issueKey(workspace, 'intake')).key });
      const { approval } = await intake.createApproval({ action: 'process_refund', summary: 'Refund', details: { amount: 5 } });
      await fake.waitForMessage(approval.approvalId);
    } finally {
      await server.stop();
    }

    const unlinked = await admin({}, 'slack', 'unlink', '--workspace', 'acme');
    expect(unlinked.json).toEqual({ workspace: 'acme', link: null });
    expect((await admin({}, 'slack', 'show', '--workspace', 'acme')).json).toMatchObject({ link: null, botToken: false, signingSecret: false });
  });

  it('refuses a token Slack refuses, a channel name instead of an id, and missing secrets, storing nothing', async () => {
    await admin({}, 'workspace', 'create', 'globex');
    const badToken = await admin({ ...secrets(), SLACK_BOT_TOKEN: 'xoxb-0000-not-the-token' }, 'slack', 'link', '--workspace', 'globex', '--channel', SLACK_CHANNEL);
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('Slack refused the bot token');
    expect(badToken.stderr).toContain('invalid_auth');
    expect(badToken.stderr).not.toContain('xoxb-0000-not-the-token');
    const byName = await admin(secrets(), 'slack', 'link', '--workspace', 'globex', '--channel', '#approvals');
    expect(byName.stderr).toContain('A Slack channel is its id');
    const noSecret = await admin({ SLACK_BOT_TOKEN: fake.workspace.botToken, SLACK_SIGNING_SECRET: '' }, 'slack', 'link', '--workspace', 'globex', '--channel', SLACK_CHANNEL);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('SLACK_SIGNING_SECRET');
    expect((await admin({}, 'slack', 'show', '--workspace', 'globex')).json).toMatchObject({ link: null, botToken: false, signingSecret: false });
  });

  it('makes an "Add to Slack" link for a workspace: signed for that workspace and channel, valid 24 h, at COUNTERSIGN_PUBLIC_URL', async () => {
    const created = await admin({}, 'workspace', 'create', 'initech');
    const publicUrl = { COUNTERSIGN_PUBLIC_URL: 'https://countersign.example.com/' };
    const made = await admin(publicUrl, 'slack', 'install-link', '--workspace', 'initech', '--channel', SLACK_CHANNEL);
    expect(made.code, made.stderr).toBe(0);
    expect(made.json).toMatchObject({ workspace: 'initech', channel: SLACK_CHANNEL, redirectUrl: 'https://countersign.example.com/slack/oauth/callback' });
    const url = new URL(made.json.url);
    expect(url.origin + url.pathname).toBe('https://countersign.example.com/slack/oauth/start');
    const tokens = slackInstallTokens(loadSecretKey(undefined, temp.dir).key);
    expect(readSlackInstall(tokens, url.searchParams.get('install')!)).toEqual({ workspaceId: created.json.id, channel: SLACK_CHANNEL });
    const hours = (Date.parse(made.json.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThanOrEqual(24);
    expect(readSlackInstall(tokens, url.searchParams.get('install')!, Date.now() + 24 * 3600_000 + 1000)).toBeNull();

    // Without --channel, the installer picks it; nothing is linked until someone installs.
    const picker = await admin(publicUrl, 'slack', 'install-link', '--workspace', 'initech');
    expect(readSlackInstall(tokens, new URL(picker.json.url).searchParams.get('install')!)).toEqual({ workspaceId: created.json.id, channel: null });
    expect((await admin({}, 'slack', 'show', '--workspace', 'initech')).json).toMatchObject({ link: null, botToken: false });
  });

  it('refuses an install link for an unknown workspace or a channel name, and says what the server still needs', async () => {
    const unknown = await admin({}, 'slack', 'install-link', '--workspace', 'no-such-workspace');
    expect(unknown.code).not.toBe(0);
    const byName = await admin({}, 'slack', 'install-link', '--workspace', 'initech', '--channel', '#approvals');
    expect(byName.code).not.toBe(0);
    expect(byName.stderr).toContain('A Slack channel is its id');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/src/admin/cli.ts', 'slack', 'install-link', '--workspace', 'initech'], {
      cwd: ROOT, env: { ...process.env, COUNTERSIGN_DATA_DIR: temp.dir, COUNTERSIGN_LOG_LEVEL: 'silent', PORT: '9191', COUNTERSIGN_PUBLIC_URL: '', SLACK_CLIENT_ID: '', SLACK_CLIENT_SECRET: '' },
    });
    expect(stdout).toContain('http://localhost:9191/slack/oauth/start?install=');
    expect(stdout).toContain('The Slack app\'s redirect URL must be http://localhost:9191/slack/oauth/callback');
    expect(stdout).toContain('SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not set here');
    expect(stdout).toContain('COUNTERSIGN_PUBLIC_URL is not set');
  });
});
