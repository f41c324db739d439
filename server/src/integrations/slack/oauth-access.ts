// The code exchange of Slack's OAuth v2 install (oauth.v2.access), through Slack's own client at the
// configured Web API base (SLACK_API_URL), like every other Slack call. What comes back is checked
// before anything is stored: a bot token for one team, and the channel the installer picked when the
// install asked for `incoming-webhook`.
import { ErrorCode, type OauthV2AccessResponse } from '@slack/web-api';
import type { Logger } from 'pino';
import { slackClient } from './slack-client';

const EXCHANGE_TIMEOUT_MS = 10_000;

export interface SlackOAuthApp {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  log?: Logger;
}

export interface SlackInstallation {
  botToken: string;
  teamId: string;
  teamName: string | null;
  botUserId: string | null;
  /** incoming_webhook.channel_id: the channel the installer picked, when the install asked for one. */
  channel: string | null;
}

/** Why an install could not finish, as the page shows it (never a token): 400 for the browser's code, 409 for a team linked elsewhere, 502 for Slack. */
export class SlackInstallError extends Error {
  constructor(readonly status: 400 | 409 | 502, message: string) {
    super(message);
  }
}

export async function exchangeInstallCode(app: SlackOAuthApp, code: string, redirectUri: string): Promise<SlackInstallation> {
  let answer: OauthV2AccessResponse;
  try {
    answer = await slackClient(undefined, { apiUrl: app.apiUrl, timeoutMs: EXCHANGE_TIMEOUT_MS, log: app.log }).oauth.v2.access({
      client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: redirectUri,
    });
  } catch (error) {
    throw exchangeFailure(error);
  }
  return installationOf(answer);
}

function exchangeFailure(error: unknown): SlackInstallError {
  const coded = error as { code?: string; statusCode?: number; data?: { error?: string } };
  if (coded.code === ErrorCode.PlatformError) {
    const reason = String(coded.data?.error ?? 'unknown_error').slice(0, 100);
    // An unknown, used or expired code came from the browser; anything else is this app's set-up at Slack.
    if (reason === 'invalid_code') return new SlackInstallError(400, 'Slack refused the install code (invalid_code): it was already used or has expired. Open the install link again.');
    return new SlackInstallError(502, `Slack refused to finish the install (${reason}). Check the app's client id, client secret and redirect URL.`);
  }
  if (coded.code === ErrorCode.HTTPError) return new SlackInstallError(502, `Slack answered HTTP ${coded.statusCode ?? 0} to the install; try again.`);
  return new SlackInstallError(502, 'Slack could not be reached to finish the install; try again.');
}

function installationOf(answer: OauthV2AccessResponse): SlackInstallation {
  if (answer.ok !== true) throw new SlackInstallError(502, `Slack refused to finish the install (${String(answer.error ?? 'not ok').slice(0, 100)}).`);
  if (answer.is_enterprise_install === true || !answer.team?.id) throw new SlackInstallError(400, 'Countersign installs into one Slack workspace, not across an Enterprise Grid organisation: install it into a workspace.');
  // Token rotation gives tokens that expire in 12 hours, which Countersign does not refresh.
  if (answer.refresh_token || answer.expires_in) throw new SlackInstallError(502, 'The Slack app has token rotation turned on, which Countersign does not support: turn it off (OAuth & Permissions), then install again.');
  if (answer.token_type !== 'bot' || typeof answer.access_token !== 'string' || !answer.access_token.startsWith('xoxb-')) throw new SlackInstallError(502, 'Slack answered no bot token: the app must ask for bot scopes (chat:write, users:read, users:read.email).');
  return {
    botToken: answer.access_token,
    teamId: answer.team.id,
    teamName: answer.team.name ?? null,
    botUserId: answer.bot_user_id ?? null,
    channel: answer.incoming_webhook?.channel_id ?? null,
  };
}
