// `slack link|show|unlink`: a workspace's self-hosted Slack app from the admin CLI. The bot token and
// signing secret come from SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (never a flag, so they stay out
// of shell history) and are stored encrypted; the link calls Slack's auth.test at SLACK_API_URL.
// `slack install-link` makes the link that starts "Add to Slack" for one workspace (the OAuth install).
import { AppError } from '../approvals/errors';
import type { Store } from '../approvals/ports';
import type { WorkspaceRecord } from '../approvals/workspace-records';
import type { SlackConfig } from '../config/config';
import { OAUTH_CALLBACK_PATH, slackInstallLink, slackInstallTokens } from '../integrations/slack/install-link';
import { linkSlack } from '../integrations/slack/slack-link';
import { installedBy, SlackSettings } from '../integrations/slack/slack-settings';
import type { Workspaces } from '../workspaces/workspaces';

export interface SlackCommandContext {
  store: Store;
  workspaces: Workspaces;
  slackConfig: SlackConfig;
  /** Signs install links (a key of their own purpose is derived from it). */
  secretKey: Buffer;
  /** COUNTERSIGN_PUBLIC_URL, else where the server listens by default. */
  publicUrl: { url: string; configured: boolean };
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
  'slack install-link': async ({ store, workspaces, slackConfig, secretKey, publicUrl, options, out }) => {
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const channel = options.channel === undefined ? null : need(options.channel, '--channel (the channel id, C…)');
    const { url, expiresAt } = slackInstallLink(slackInstallTokens(secretKey), publicUrl.url, workspace, channel);
    const until = new Date(expiresAt).toISOString();
    const where = channel ? `posts its requests to ${channel}` : 'posts its requests to the channel the installer picks';
    const notes = [
      slackConfig.clientId && slackConfig.clientSecret ? null : 'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are not set here: the server needs them (and SLACK_SIGNING_SECRET) for the install.',
      publicUrl.configured ? null : `COUNTERSIGN_PUBLIC_URL is not set: the link assumes the server at ${publicUrl.url}.`,
    ].filter(Boolean);
    const current = new SlackSettings(store, workspaces, slackConfig).link(workspace);
    out(
      [
        `"Add to Slack" link for "${workspace.name}" (valid until ${until}):`,
        url,
        `Whoever opens it and installs the app links their Slack workspace to "${workspace.name}", which then ${where}${current ? ` (replacing the link to ${current.teamName ?? current.teamId})` : ''}. Send it only to that person.`,
        `The Slack app's redirect URL must be ${publicUrl.url}${OAUTH_CALLBACK_PATH}.`,
        ...notes,
      ].join('\n'),
      { workspace: workspace.name, channel, url, expiresAt: until, redirectUrl: `${publicUrl.url}${OAUTH_CALLBACK_PATH}` },
    );
  },
  'slack show': async ({ store, workspaces, slackConfig, options, out }) => {
    const slack = new SlackSettings(store, workspaces, slackConfig);
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const data = summary(slack, workspace);
    const how = data.link?.installedBy === 'oauth'
      ? 'Installed with "Add to Slack" (OAuth): interactions are verified with the app\'s SLACK_SIGNING_SECRET.\n'
      : 'Linked with a bot token (slack link): interactions are verified with the signing secret stored for it.\n';
    out(data.link ? `${how}${JSON.stringify(data, null, 2)}` : `"${workspace.name}" is not linked to Slack.`, data);
  },
  'slack unlink': async ({ store, workspaces, slackConfig, options, out }) => {
    const slack = new SlackSettings(store, workspaces, slackConfig);
    const workspace = await workspaces.byName(need(options.workspace, '--workspace'));
    const link = slack.link(workspace);
    await slack.unlink(workspace);
    // An OAuth install is not undone at Slack (no apps.uninstall): forgetting the token is enough to stop every call.
    const human = link && installedBy(link) === 'oauth'
      ? `Unlinked "${workspace.name}" from Slack and forgot its bot token. The app stays installed in ${link.teamName ?? link.teamId} until someone removes it there (Slack: Settings → Manage apps).`
      : `Unlinked "${workspace.name}" from Slack and forgot its bot token and signing secret.`;
    out(human, { workspace: workspace.name, link: null });
  },
};

/** What is configured, never the secrets themselves. */
function summary(slack: SlackSettings, workspace: WorkspaceRecord) {
  const link = slack.link(workspace);
  return {
    workspace: workspace.name,
    link: link ? { teamId: link.teamId, teamName: link.teamName, channel: link.channel, botUserId: link.botUserId, linkedAt: new Date(link.linkedAt).toISOString(), installedBy: installedBy(link) } : null,
    apiUrl: slack.apiUrl(link),
    botToken: slack.botToken(workspace) !== null,
    signingSecret: slack.signingSecret(workspace) !== null,
  };
}

function need(value: string | undefined, what: string): string {
  if (!value || !value.trim()) throw new AppError('bad_request', 'usage', `missing ${what}`);
  return value;
}
