// Linking a workspace to a self-hosted Slack app: the bot token is checked with auth.test, which also
// names the Slack team (so interactions from it map to this workspace) and the bot user.
import { AppError } from '../../approvals/errors';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import { slackClient } from './slack-client';
import { slackChannel, type SlackLink, type SlackSecrets, type SlackSettings } from './slack-settings';

const AUTH_TEST_TIMEOUT_MS = 10_000;

export async function linkSlack(settings: SlackSettings, workspace: WorkspaceRecord, input: SlackSecrets & { channel: string }, now = Date.now()): Promise<WorkspaceRecord> {
  const channel = slackChannel(input.channel);
  const apiUrl = settings.apiUrl(null);
  let auth: { team_id?: string; team?: string; user_id?: string };
  try {
    auth = await slackClient(input.botToken.trim(), { apiUrl, timeoutMs: AUTH_TEST_TIMEOUT_MS }).auth.test();
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new AppError('bad_request', 'slack_auth_failed', `Slack refused the bot token (auth.test at ${apiUrl}): ${String(reason).slice(0, 200)}.`);
  }
  if (!auth.team_id) throw new AppError('bad_request', 'slack_auth_failed', 'Slack\'s auth.test named no team for this token.');
  const link: SlackLink = { teamId: auth.team_id, teamName: auth.team ?? null, channel, botUserId: auth.user_id ?? null, linkedAt: now };
  return settings.setLink(workspace, link, input);
}
