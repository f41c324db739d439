// Sets the playground up once the server listens: its workspace and keys, its fake Zendesk, and the
// two loopback prefixes the callback guard may call although private callbacks are otherwise refused.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { IntercomConfig } from '@countersign/server/config';
import type { IntercomSettings } from '@countersign/server/integrations/intercom';
import type { SlackSettings } from '@countersign/server/integrations/slack';
import { CALLBACK_PATH, type ZendeskSettings } from '@countersign/server/integrations/zendesk';
import type { CallbackGuard } from '@countersign/server/outbound';
import type { Workspaces } from '@countersign/server/workspaces';
import { CallbackInbox, receiverUrl } from './callback-inbox';
import type { PlaygroundIntercom, PlaygroundRuntime } from './playground-routes';
import { connectFakeZendesk, connectFakeZendeskSignIn, newFakeToken, openPlaygroundWorkspace, type PlaygroundWorkspace } from './playground-workspace';
import { SEED_001_WAIT_MS } from './sample-ticket';
import { connectFakeSlack } from './slack/slack-playground';
import { TicketNotes } from './ticket-notes';

export interface PlaygroundDeps {
  workspaces: Workspaces;
  zendesk: ZendeskSettings;
  intercom: IntercomSettings;
  slack: SlackSettings;
  intercomConfig: IntercomConfig;
  guard: CallbackGuard;
  host: string;
  port: number;
  /** COUNTERSIGN_MAX_WAIT_MS: the intake holds no request longer. */
  maxWaitMs: number;
  /** Countersign's public URL: the fake Zendesk sends agents back to its OAuth callback. */
  publicUrl: () => string;
}

export async function startPlayground(deps: PlaygroundDeps): Promise<PlaygroundRuntime> {
  const selfUrl = `http://${loopbackLiteral(deps.host)}:${deps.port}`;
  const playground = await openPlaygroundWorkspace(deps.workspaces);
  const token = newFakeToken();
  const zendeskBase = `${selfUrl}/playground/zendesk`;
  await connectFakeZendesk(deps.zendesk, playground, zendeskBase, token);
  const oauthSecret = newFakeToken();
  const oauthClientId = await connectFakeZendeskSignIn(deps.zendesk, playground, oauthSecret);
  deps.guard.trustPrefix(`${selfUrl}/playground/receiver/`);
  deps.guard.trustPrefix(`${zendeskBase}/`);
  const intercom = await connectFakeIntercom(deps, playground, selfUrl);
  const slack = await connectFakeSlack(deps.slack, playground.workspace, selfUrl);
  playground.workspace = slack.workspace;
  return {
    selfUrl,
    intakeKey: playground.intakeKey,
    reviewKey: playground.reviewKey,
    delegatingKey: playground.delegatingKey,
    zendeskOAuthClient: { clientId: oauthClientId, clientSecret: oauthSecret, redirectUri: `${deps.publicUrl()}${CALLBACK_PATH}` },
    callbackSecrets: async () => deps.workspaces.callbackSecrets(await deps.workspaces.byName(playground.workspace.name)),
    zendeskAuthorization: `Basic ${Buffer.from(`countersign@playground.example/token:${token}`).toString('base64')}`,
    seedWaitMs: Math.min(SEED_001_WAIT_MS, deps.maxWaitMs),
    inbox: new CallbackInbox(),
    notes: new TicketNotes(),
    intercom,
    slack: slack.slack,
  };
}

const PLAYGROUND_INTERCOM_ID = 'playgroundapp';
const PLAYGROUND_ADMIN_ID = '991267696';
const GATED_TOPIC = 'conversation.operator.replied';

/** Links the playground workspace to an emulated Intercom workspace whose REST API is this server. */
async function connectFakeIntercom(deps: PlaygroundDeps, playground: PlaygroundWorkspace, selfUrl: string): Promise<PlaygroundIntercom> {
  const apiBaseUrl = `${selfUrl}/playground/intercom-api`;
  const accessToken = newFakeToken();
  playground.workspace = await deps.intercom.setLink(playground.workspace, {
    workspaceId: PLAYGROUND_INTERCOM_ID,
    region: 'US',
    adminId: PLAYGROUND_ADMIN_ID,
    gatedTopics: [GATED_TOPIC],
    callbackUrl: receiverUrl(selfUrl, 'intercom'),
    apiBaseUrl,
  }, accessToken);
  deps.guard.trustPrefix(`${apiBaseUrl}/`);
  return {
    clientSecret: deps.intercomConfig.clientSecret ?? randomBytes(24).toString('base64url'),
    intercomWorkspaceId: PLAYGROUND_INTERCOM_ID,
    accessToken,
    gatedTopic: GATED_TOPIC,
    notes: new TicketNotes(),
    appId: deps.intercomConfig.appId ?? null,
    conversation: { state: 'open' },
  };
}

/** An IP literal this server answers on, so the trusted prefixes never depend on DNS. */
function loopbackLiteral(host: string): string {
  if (host === '::') return '[::1]';
  if (net.isIPv6(host)) return `[${host}]`;
  if (net.isIPv4(host) && host !== '0.0.0.0') return host;
  return '127.0.0.1';
}
