// A fake Slack Web API on loopback for tests: the playground's fake Slack workspace behind a real HTTP
// server of its own, recording every request (method, headers, arguments) and answering the next calls
// of a method with a chosen failure (a 429 with Retry-After, an error) when a test asks. It is also
// Slack's OAuth v2 side for "Add to Slack": the authorize page (GET /oauth/v2/authorize, which sends
// the browser back with a code, or with error=access_denied) and oauth.v2.access, which checks the
// client id and secret, the code (once) and its redirect_uri, as Slack does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlackWorkspace, slackFormArgs, signedInteraction, blockActionsPayload, viewSubmissionPayload, type FakeSlackMessage, type FakeSlackView, type InteractionActor } from '@countersign/playground';
import { SlackSettings } from '@countersign/server/integrations/slack';
import { linkSlack } from '@countersign/server/integrations/slack';
import type { WorkspaceRecord } from '@countersign/server/approvals';
import type { TestServer } from './test-server';
import { call } from './test-server';

export const SLACK_TEAM = 'T0ACME';
export const SLACK_CHANNEL = 'C0APPROVALS';
export const OTHER_CHANNEL = 'C0ESCALATE';
/** A member of the team with the email the policies of the tests name. */
export const ANA = { id: 'U0ANA', name: 'Ana Reviewer', email: 'ana@example.com' };
export const BO = { id: 'U0BO', name: 'Bo Second', email: 'bo@example.com' };

export interface SlackRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  args: Record<string, unknown>;
  at: number;
}

type Failure = { status: 429; retryAfterS: number } | { status: number; body?: unknown };

/** The distributed app's OAuth credentials, as the fake's authorize page and oauth.v2.access know them. */
export const SLACK_CLIENT_ID = '1111111111.2222222222';
export const SLACK_CLIENT_SECRET = 'fake-client-secret-0123456789abcdef';
/** The distributed app's signing secret (SLACK_SIGNING_SECRET), not the fake workspace's own. */
export const APP_SIGNING_SECRET = 'app-level-signing-secret-0123456789';

interface IssuedCode {
  redirectUri: string;
  scopes: string[];
  channel: string;
  used: boolean;
}

export class FakeSlack {
  readonly workspace = new FakeSlackWorkspace(SLACK_TEAM, 'Acme');
  readonly requests: SlackRequest[] = [];
  url = '';
  /** What the installer does on the next visit to the authorize page. */
  installer: { deny: boolean; channel: string } = { deny: false, channel: OTHER_CHANNEL };
  private readonly codes = new Map<string, IssuedCode>();
  private codeSequence = 0;
  private readonly failures = new Map<string, Failure[]>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
  });

  constructor() {
    this.workspace.channels.add(SLACK_CHANNEL);
    this.workspace.channels.add(OTHER_CHANNEL);
    this.workspace.addUser(ANA.id, ANA.name, { email: ANA.email });
    this.workspace.addUser(BO.id, BO.name, { email: BO.email });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Slack's authorize page (`SLACK_OAUTH_AUTHORIZE_URL`). */
  get authorizeUrl(): string {
    return `${new URL(this.url).origin}/oauth/v2/authorize`;
  }

  /** A code as Slack's authorize page hands the browser, for an install that asked for `scopes`. */
  issueCode(redirectUri: string, scopes: string[] = [], channel = this.installer.channel): string {
    const code = `fake-code-${++this.codeSequence}`;
    this.codes.set(code, { redirectUri, scopes, channel, used: false });
    return code;
  }

  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
  }

  calls(method: string): SlackRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** Waits until `check` holds of the fake's state (messages, ephemerals, views…). */
  async until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The request message posted for an approval (found by the buttons' value). */
  messageFor(approvalId: string, channel = SLACK_CHANNEL): FakeSlackMessage | undefined {
    return this.workspace.channelMessages(channel).find((m) => JSON.stringify(m.blocks).includes(approvalId));
  }

  waitForMessage(approvalId: string, channel = SLACK_CHANNEL): Promise<FakeSlackMessage> {
    return this.until(() => this.messageFor(approvalId, channel), `a message for ${approvalId} in ${channel}`);
  }

  waitForView(after: number): Promise<FakeSlackView> {
    return this.until(() => this.workspace.views.length > after && this.workspace.views[this.workspace.views.length - 1], 'a modal to open');
  }

  waitForEphemeral(after: number, user: string): Promise<string> {
    return this.until(() => this.workspace.ephemerals.slice(after).find((e) => e.user === user)?.text, `an ephemeral message to ${user}`);
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const path = req.url ?? '/';
    if (req.method === 'GET' && path.startsWith('/oauth/v2/authorize')) return this.authorize(new URL(path, this.url), res);
    const method = path.replace(/^\/api\//, '');
    const args = slackFormArgs(body);
    this.requests.push({ method, path, headers: req.headers, args, at: Date.now() });
    const json = (status: number, answer: unknown, headers: Record<string, string> = {}): void => void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(answer));
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.status === 429 && 'retryAfterS' in failure) return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterS) });
      return json(failure.status, 'body' in failure ? failure.body : { ok: false, error: 'internal_error' });
    }
    if (!path.startsWith('/api/')) return json(404, { ok: false, error: 'unknown_method' });
    if (method === 'oauth.v2.access') return json(200, this.access(args, String(req.headers.authorization ?? '')));
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? null;
    json(200, this.workspace.handle(method, args, token));
  }

  /** The installer approves (or denies) on the consent page: back to redirect_uri with a code (or an error) and the state. */
  private authorize(url: URL, res: http.ServerResponse): void {
    const redirectUri = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== SLACK_CLIENT_ID || !redirectUri) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_client_id or no redirect_uri');
    const back = new URL(redirectUri);
    if (this.installer.deny) back.searchParams.set('error', 'access_denied');
    else back.searchParams.set('code', this.issueCode(redirectUri, (url.searchParams.get('scope') ?? '').split(',')));
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.href }).end();
  }

  /** oauth.v2.access: the client's credentials in the form (or as HTTP Basic), a code used once, the same redirect_uri. */
  private access(args: Record<string, unknown>, authorization: string): Record<string, unknown> {
    const basic = /^Basic (.+)$/.exec(authorization)?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [args.client_id, args.client_secret];
    if (id !== SLACK_CLIENT_ID) return { ok: false, error: 'invalid_client_id' };
    if (secret !== SLACK_CLIENT_SECRET) return { ok: false, error: 'bad_client_secret' };
    const issued = this.codes.get(String(args.code ?? ''));
    if (!issued || issued.used) return { ok: false, error: 'invalid_code' };
    issued.used = true;
    if (args.redirect_uri !== issued.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    const webhook = issued.scopes.includes('incoming-webhook')
      ? { incoming_webhook: { channel: '#approvals', channel_id: issued.channel, configuration_url: 'https://acme.slack.example/services/B0HOOK', url: 'https://hooks.slack.example/services/T0ACME/B0HOOK/x' } }
      : {};
    return {
      ok: true, app_id: 'A0COUNTERSIGN', authed_user: { id: ANA.id }, scope: issued.scopes.filter((s) => s !== 'incoming-webhook').join(','), token_type: 'bot',
      access_token: this.workspace.botToken, bot_user_id: this.workspace.botUserId, team: { id: this.workspace.teamId, name: this.workspace.teamName }, enterprise: null, is_enterprise_install: false, ...webhook,
    };
  }
}

/** A workspace of the test server linked to the fake Slack (through auth.test at SLACK_API_URL). */
export async function slackWorkspace(server: TestServer, name: string, fake: FakeSlack): Promise<{ workspace: WorkspaceRecord; intakeKey: string }> {
  const created = (await server.app.workspaces.create(name)).workspace;
  const slack = new SlackSettings(server.app.store, server.app.workspaces, server.config.slack);
  const workspace = await linkSlack(slack, created, { channel: SLACK_CHANNEL, botToken: fake.workspace.botToken, signingSecret: fake.workspace.signingSecret });
  const intakeKey = (await server.app.workspaces.issueKey(workspace, 'intake')).key;
  return { workspace, intakeKey };
}

export const actor = (user: { id: string; name: string }): InteractionActor => ({ teamId: SLACK_TEAM, userId: user.id, userName: user.name });

/** Clicks a button of a posted message as `user`, as Slack would send it (signed with the fake workspace's own app's secret unless told). */
export async function click(server: TestServer, fake: FakeSlack, message: FakeSlackMessage, actionId: string, user: { id: string; name: string }, approvalId: string, signingSecret = fake.workspace.signingSecret) {
  const payload = blockActionsPayload(actor(user), message, { actionId, value: approvalId }, fake.workspace.newTrigger());
  const { headers, body } = signedInteraction(signingSecret, payload);
  return call(`${server.url}/slack/interactions`, { headers, body });
}

/** Submits an opened modal as `user` with these input states (block id → action id → state). */
export async function submit(server: TestServer, fake: FakeSlack, view: FakeSlackView, user: { id: string; name: string }, values: Record<string, Record<string, unknown>>) {
  const payload = viewSubmissionPayload(actor(user), { id: view.id, callback_id: view.view.callback_id, private_metadata: view.view.private_metadata }, values);
  const { headers, body } = signedInteraction(fake.workspace.signingSecret, payload);
  return call(`${server.url}/slack/interactions`, { headers, body });
}
