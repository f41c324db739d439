// The link an admin hands to whoever clicks "Add to Slack": it names the Countersign workspace (and
// optionally the channel) the install will link, signed with a key of its own purpose and valid 24 h.
// OAuth proves who the Slack user is, not that they administer a Countersign workspace: only a link
// made with the admin CLI binds an install to one.
import { z } from 'zod';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import { SignedTokens } from '../../secrets/signed-token';
import { slackChannel } from './slack-settings';

export const SLACK_INSTALL_PURPOSE = 'slack-install';
export const OAUTH_START_PATH = '/slack/oauth/start';
export const OAUTH_CALLBACK_PATH = '/slack/oauth/callback';
export const INSTALL_LINK_TTL_MS = 24 * 3600 * 1000;

const Install = z.object({ workspaceId: z.string().min(1).max(64), channel: z.string().nullable() });
export type SlackInstall = z.infer<typeof Install>;

export function slackInstallTokens(secretKey: Buffer): SignedTokens {
  return new SignedTokens(secretKey, SLACK_INSTALL_PURPOSE);
}

/** `<public url>/slack/oauth/start?install=<token>`, and when it stops working. */
export function slackInstallLink(tokens: SignedTokens, publicUrl: string, workspace: WorkspaceRecord, channel: string | null, now = Date.now()): { url: string; expiresAt: number } {
  const install: SlackInstall = { workspaceId: workspace.id, channel: channel === null ? null : slackChannel(channel) };
  const expiresAt = now + INSTALL_LINK_TTL_MS;
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}${OAUTH_START_PATH}`);
  url.searchParams.set('install', tokens.sign(JSON.stringify(install), expiresAt));
  return { url: url.href, expiresAt };
}

/** What a genuine, unexpired install token names; null for anything else. */
export function readSlackInstall(tokens: SignedTokens, token: string | undefined, now = Date.now()): SlackInstall | null {
  const payload = tokens.verify(token, now);
  if (payload === null) return null;
  try {
    const parsed = Install.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
