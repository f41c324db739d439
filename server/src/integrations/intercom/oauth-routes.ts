// GET /intercom/oauth/start and /intercom/oauth/callback: Intercom's public-app install. The state
// travels in a signed, short-lived, HttpOnly cookie and must come back unchanged with the code.
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import type { IntercomConfig } from '../../config/config';
import { escapeHtml, htmlPage } from '../../http/html-page';
import { OAuthStateCookie } from '../../http/oauth-state-cookie';
import type { SignedTokens } from '../../secrets/signed-token';
import type { Workspaces } from '../../workspaces/workspaces';
import { installIntercom, type InstallResult } from './install';
import type { IntercomSettings } from './intercom-settings';
import { exchangeCode, IntercomOAuthError, whoInstalled } from './oauth-client';


export interface OAuthRouteDeps {
  config: IntercomConfig;
  publicUrl: () => string;
  stateTokens: SignedTokens;
  workspaces: Workspaces;
  intercom: IntercomSettings;
  log: Logger;
}

export function intercomOAuthRoutes(deps: OAuthRouteDeps): Router {
  const router = Router();
  const cookie = new OAuthStateCookie('cs_intercom_oauth', '/intercom/oauth', deps.stateTokens);
  router.get('/intercom/oauth/start', (_req, res) => {
    if (!deps.config.clientId || !deps.config.clientSecret) return page(res, 503, 'Intercom is not configured', '<p>Set <code>INTERCOM_CLIENT_ID</code> and <code>INTERCOM_CLIENT_SECRET</code> to install the Intercom app.</p>');
    const state = cookie.issue(res, '', deps.publicUrl().startsWith('https:'));
    const authorize = new URL(deps.config.authorizeUrl);
    authorize.searchParams.set('client_id', deps.config.clientId);
    authorize.searchParams.set('state', state);
    authorize.searchParams.set('redirect_uri', `${deps.publicUrl()}/intercom/oauth/callback`);
    res.redirect(302, authorize.href);
  });

  router.get('/intercom/oauth/callback', async (req, res) => {
    cookie.clear(res);
    const code = single(req.query.code);
    if (!code) return page(res, 400, 'Install cancelled', '<p>Intercom did not send an install code (the install was cancelled or refused). <a href="/intercom/oauth/start">Start again</a>.</p>');
    if (cookie.read(req, single(req.query.state)) === null) return page(res, 400, 'Install link expired', '<p>This install link expired or was opened in another browser. <a href="/intercom/oauth/start">Start again</a>.</p>');
    try {
      const token = await exchangeCode(deps.config, code);
      const installer = await whoInstalled(deps.config, token);
      // Without a verified email, the admin's identity is not established (Intercom's own advice).
      if (installer.email_verified !== true) return page(res, 403, 'Email not verified', '<p>Verify your Intercom email address, then install again.</p>');
      const result = await installIntercom(deps, installer, token);
      deps.log.info({ intercomWorkspace: installer.app.id_code, workspace: result.workspace.name, created: result.created }, 'intercom app installed');
      page(res, 200, 'Countersign is connected to Intercom', installedBody(result, installer.app.id_code, deps.publicUrl()));
    } catch (error) {
      if (!(error instanceof IntercomOAuthError)) throw error;
      page(res, 502, 'Install failed', `<p>${escapeHtml(error.message)}</p>`);
    }
  });
  return router;
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 2000 ? value : undefined;
}

function page(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html').send(htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n${body}`));
}

function installedBody(result: InstallResult, intercomId: string, base: string): string {
  const credentials = result.credentials
    ? `<h2>Keys for your automations (shown once)</h2>
<dl><dt>Intake key (x-api-key)</dt><dd><code>${escapeHtml(result.credentials.intakeKey)}</code></dd>
<dt>Callback secret (verifies webhook-signature)</dt><dd><code>${escapeHtml(result.credentials.callbackSecret)}</code></dd></dl>`
    : '<p>This Intercom workspace was already connected; its access token has been refreshed.</p>';
  return `<p>Intercom workspace <code>${escapeHtml(intercomId)}</code> is linked to the Countersign workspace <code>${escapeHtml(result.workspace.name)}</code>.</p>
${credentials}
<h2>Next steps in the Intercom Developer Hub</h2>
<ol>
<li>Canvas Kit, "For teammates" → conversation details: Initialize URL <code>${escapeHtml(base)}/intercom/canvas/initialize</code>, Submit URL <code>${escapeHtml(base)}/intercom/canvas/submit</code>.</li>
<li>Webhooks: endpoint <code>${escapeHtml(base)}/webhooks/intercom</code>; subscribe to <code>conversation.admin.closed</code> and to each topic you want to gate (e.g. <code>conversation.operator.replied</code>).</li>
<li>Choose the gated topics and where decisions go: <code>npm run admin -- intercom gate --workspace ${escapeHtml(result.workspace.name)} --topics conversation.operator.replied --callback-url https://yourapp.com/intercom/decision-callback</code>.</li>
</ol>`;
}
