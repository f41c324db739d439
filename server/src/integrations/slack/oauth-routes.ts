// GET /slack/oauth/start and /slack/oauth/callback: "Add to Slack" for a distributed Slack app. The
// start takes an install link made by the admin CLI (`slack install-link`), which names the Countersign
// workspace, and carries it through Slack in the signed state cookie; the callback exchanges the code
// (oauth.v2.access at SLACK_API_URL) and links the team to that workspace, its bot token sealed. Every
// outcome is a small page; nothing is stored unless the whole install succeeded.
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../approvals/errors';
import type { Store } from '../../approvals/ports';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { SlackConfig } from '../../config/config';
import { escapeHtml, htmlPage } from '../../http/html-page';
import { OAuthStateCookie } from '../../http/oauth-state-cookie';
import type { SignedTokens } from '../../secrets/signed-token';
import { INTERACTIONS_PATH } from './interaction-routes';
import { OAUTH_CALLBACK_PATH, OAUTH_START_PATH, readSlackInstall, type SlackInstall } from './install-link';
import { exchangeInstallCode, SlackInstallError, type SlackInstallation } from './oauth-access';
import type { SlackSettings } from './slack-settings';

/** The bot's scopes: post and update messages, and learn who clicked (users.info with the email). */
export const BOT_SCOPES = ['chat:write', 'users:read', 'users:read.email'];
/** Asked for when the install link names no channel: the installer picks one on Slack's consent page. */
export const CHANNEL_PICKER_SCOPE = 'incoming-webhook';

export interface SlackOAuthRouteDeps {
  config: SlackConfig;
  publicUrl: () => string;
  installTokens: SignedTokens;
  stateTokens: SignedTokens;
  workspaces: Pick<Store['workspaces'], 'get'>;
  slack: SlackSettings;
  log: Logger;
}

export function slackOAuthRoutes(deps: SlackOAuthRouteDeps): Router {
  const router = Router();
  const cookie = new OAuthStateCookie('cs_slack_oauth', '/slack/oauth', deps.stateTokens);
  const redirectUri = () => `${deps.publicUrl()}${OAUTH_CALLBACK_PATH}`;

  router.get(OAUTH_START_PATH, async (req, res) => {
    const app = oauthApp(deps);
    if (!app) return notConfigured(res);
    const token = single(req.query.install);
    if (!token) return page(res, 400, 'No install link', `<p>"Add to Slack" starts from an install link made for your Countersign workspace: ask its administrator for one (<code>npm run admin -- slack install-link --workspace &lt;name&gt;</code>).</p>`);
    const install = readSlackInstall(deps.installTokens, token);
    if (!install) return page(res, 403, 'Install link not valid', '<p>This install link has expired (links last 24 hours) or was not made by this Countersign. Ask its administrator for a new one.</p>');
    if (!(await deps.workspaces.get(install.workspaceId))) return page(res, 404, 'Workspace not found', '<p>The Countersign workspace this install link names no longer exists.</p>');
    const state = cookie.issue(res, JSON.stringify(install), deps.publicUrl().startsWith('https:'));
    const authorize = new URL(deps.config.authorizeUrl);
    authorize.searchParams.set('client_id', app.clientId);
    authorize.searchParams.set('scope', [...BOT_SCOPES, ...(install.channel ? [] : [CHANNEL_PICKER_SCOPE])].join(','));
    authorize.searchParams.set('state', state);
    authorize.searchParams.set('redirect_uri', redirectUri());
    res.redirect(302, authorize.href);
  });

  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    cookie.clear(res);
    const app = oauthApp(deps);
    if (!app) return notConfigured(res);
    const error = single(req.query.error);
    if (error) return page(res, 400, 'Install cancelled', `<p>Slack did not install the app (${escapeHtml(error.slice(0, 100))}). Open the install link again to retry.</p>`);
    const context = cookie.read(req, single(req.query.state));
    if (!context) return page(res, 400, 'Install expired', '<p>This install took longer than 10 minutes or was finished in another browser. Open the install link again.</p>');
    const code = single(req.query.code);
    if (!code) return page(res, 400, 'Install cancelled', '<p>Slack sent no install code. Open the install link again.</p>');
    const install = JSON.parse(context) as SlackInstall;
    const workspace = await deps.workspaces.get(install.workspaceId);
    if (!workspace) return page(res, 404, 'Workspace not found', '<p>The Countersign workspace this install was for no longer exists.</p>');
    try {
      const installation = await exchangeInstallCode({ ...app, apiUrl: deps.slack.apiUrl(null), log: deps.log }, code, redirectUri());
      const linked = await link(deps.slack, workspace, install, installation);
      deps.log.info({ workspace: workspace.name, slackTeam: installation.teamId, channel: deps.slack.link(linked)?.channel }, 'slack app installed');
      page(res, 200, 'Countersign is connected to Slack', installedBody(deps, linked));
    } catch (failure) {
      if (!(failure instanceof SlackInstallError)) throw failure;
      deps.log.warn({ workspace: workspace.name, status: failure.status, reason: failure.message }, 'slack install failed');
      page(res, failure.status, 'Install failed', `<p>${escapeHtml(failure.message)}</p>`);
    }
  });
  return router;
}

async function link(slack: SlackSettings, workspace: WorkspaceRecord, install: SlackInstall, installation: SlackInstallation): Promise<WorkspaceRecord> {
  const channel = install.channel ?? installation.channel;
  if (!channel) throw new SlackInstallError(502, 'Slack named no channel for the requests: open the install link again and pick a channel.');
  try {
    return await slack.setOAuthLink(workspace, {
      teamId: installation.teamId, teamName: installation.teamName, channel, botUserId: installation.botUserId, linkedAt: Date.now(),
    }, installation.botToken);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Another workspace's link is not named: the installer administers this one, not that one.
    if (error.code === 'slack_team_taken') throw new SlackInstallError(409, 'This Slack workspace is already linked to another Countersign workspace. Unlink it there first (npm run admin -- slack unlink).');
    throw new SlackInstallError(502, `Slack's answer could not be used (${error.code}).`);
  }
}

function oauthApp(deps: SlackOAuthRouteDeps): { clientId: string; clientSecret: string } | null {
  const { clientId, clientSecret } = deps.config;
  return clientId && clientSecret ? { clientId, clientSecret } : null;
}

function notConfigured(res: Response): void {
  page(res, 503, 'Slack is not configured', '<p>Set <code>SLACK_CLIENT_ID</code>, <code>SLACK_CLIENT_SECRET</code> and <code>SLACK_SIGNING_SECRET</code> (the Slack app\'s credentials) to install it with "Add to Slack".</p>');
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 2000 ? value : undefined;
}

function page(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html').send(htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n${body}`));
}

function installedBody(deps: SlackOAuthRouteDeps, workspace: WorkspaceRecord): string {
  const link = deps.slack.link(workspace)!;
  const signing = deps.config.signingSecret ? '' : '\n<p><strong>SLACK_SIGNING_SECRET is not set</strong>: until it is, Countersign refuses the buttons\' clicks (it cannot verify them).</p>';
  return `<p>Slack workspace <code>${escapeHtml(link.teamName ?? link.teamId)}</code> is linked to the Countersign workspace <code>${escapeHtml(workspace.name)}</code>. Requests that need a human are posted to <code>${escapeHtml(link.channel)}</code>.</p>${signing}
<h2>Next steps</h2>
<ol>
<li>Make sure the app is in that channel, and in every channel a rule's <code>notify</code> or <code>escalateTo</code> names (<code>/invite @Countersign</code>).</li>
<li>The app's interactivity request URL is <code>${escapeHtml(deps.publicUrl())}${INTERACTIONS_PATH}</code>.</li>
</ol>`;
}
