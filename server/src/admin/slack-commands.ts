// `slack link|show|unlink`: a workspace's self-hosted Slack app from the admin CLI. The bot token and
// signing secret come from SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (never a flag, so they stay out
// of shell history) and are stored encrypted; the link calls Slack's auth.test at SLACK_API_URL.
import { AppError } from '../approvals/errors';
import type { Store } from '../approvals/ports';
import type { WorkspaceRecord } from '../approvals/workspace-records';
import type { SlackConfig } from '../config/config';
import { linkSlack } from '../integrations/slack/slack-link';
import { SlackSettings } from '../integrations/slack/slack-settings';
import type { Workspaces } from '../workspaces/workspaces';

export interface SlackCommandContext {
  store: Store;
  workspaces: Workspaces;
  slackConfig: SlackConfig;
  options: { workspace?: string; channel?: string };
  env: NodeJS.ProcessEnv;
  out: (human: string, data: unknown) => void;
}

type SlackCommand = (ctx: SlackCommandContext) => Promise<void>;

export const SLACK_COMMANDS: Record<string, SlackCommand> = {
  'slack link': async ({ store, workspaces, slackConfig, options, env, out }) => {
    const slack = new SlackSettings(store, workspaces, slackConfig);
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const linked = await linkSlack(slack, workspace, {
      channel: need(options.channel, '--channel (the channel id, C…)'),
      botToken: need(env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN in the environment (the app\'s xoxb- bot token)'),
      signingSecret: need(env.SLACK_SIGNING_SECRET, 'SLACK_SIGNING_SECRET in the environment (the app\'s signing secret)'),
    });
    const link = slack.link(linked)!;
    out(
      `Linked "${workspace.name}" to Slack team ${link.teamName ?? link.teamId} (${link.teamId}); requests needing a human are posted to ${link.channel}. Invite the app to that channel (/invite @your-app).`,
      summary(slack, linked),
    );
  },
  'slack show': async ({ store, workspaces, slackConfig, options, out }) => {
    const slack = new SlackSettings(store, workspaces, slackConfig);
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const data = summary(slack, workspace);
    out(data.link ? `${JSON.stringify(data, null, 2)}` : `"${workspace.name}" is not linked to Slack.`, data);
  },
  'slack unlink': async ({ store, workspaces, slackConfig, options, out }) => {
    const slack = new SlackSettings(store, workspaces, slackConfig);
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    await slack.unlink(workspace);
    out(`Unlinked "${workspace.name}" from Slack and forgot its bot token and signing secret.`, { workspace: workspace.name, link: null });
  },
};

/** What is configured, never the secrets themselves. */
function summary(slack: SlackSettings, workspace: WorkspaceRecord) {
  const link = slack.link(workspace);
  return {
    workspace: workspace.name,
    link: link ? { teamId: link.teamId, teamName: link.teamName, channel: link.channel, botUserId: link.botUserId, linkedAt: new Date(link.linkedAt).toISOString() } : null,
    apiUrl: slack.apiUrl(link),
    botToken: slack.botToken(workspace) !== null,
    signingSecret: slack.signingSecret(workspace) !== null,
  };
}

function need(value: string | undefined, what: string): string {
  if (!value || !value.trim()) throw new AppError('bad_request', 'usage', `missing ${what}`);
  return value;
}
