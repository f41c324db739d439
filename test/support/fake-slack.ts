// A fake Slack Web API on loopback for tests: the playground's fake Slack workspace behind a real HTTP
// server of its own, recording every request (method, headers, arguments) and answering the next calls
// of a method with a chosen failure (a 429 with Retry-After, an error) when a test asks.
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

export class FakeSlack {
  readonly workspace = new FakeSlackWorkspace(SLACK_TEAM, 'Acme');
  readonly requests: SlackRequest[] = [];
  url = '';
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
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? null;
    json(200, this.workspace.handle(method, args, token));
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

/** Clicks a button of a posted message as `user`, as Slack would send it. */
export async function click(server: TestServer, fake: FakeSlack, message: FakeSlackMessage, actionId: string, user: { id: string; name: string }, approvalId: string) {
  const payload = blockActionsPayload(actor(user), message, { actionId, value: approvalId }, fake.workspace.newTrigger());
  const { headers, body } = signedInteraction(fake.workspace.signingSecret, payload);
  return call(`${server.url}/slack/interactions`, { headers, body });
}

/** Submits an opened modal as `user` with these input states (block id → action id → state). */
export async function submit(server: TestServer, fake: FakeSlack, view: FakeSlackView, user: { id: string; name: string }, values: Record<string, Record<string, unknown>>) {
  const payload = viewSubmissionPayload(actor(user), { id: view.id, callback_id: view.view.callback_id, private_metadata: view.view.private_metadata }, values);
  const { headers, body } = signedInteraction(fake.workspace.signingSecret, payload);
  return call(`${server.url}/slack/interactions`, { headers, body });
}
