// What a workspace holds for Slack: which Slack team (from auth.test) and channel it is linked to, and
// the bot token and signing secret of its self-hosted Slack app, both sealed at rest. The team id maps
// Slack's interactions to the workspace; the channel is where requests are announced. A link made by
// "Add to Slack" (installedBy 'oauth') holds only its bot token: the distributed app has one signing
// secret for every team, SLACK_SIGNING_SECRET, which verifies its interactions.
import type { SlackChannelRef } from '@countersign/shared';
import { SlackChannelRef as ChannelRefSchema } from '@countersign/shared';
import { AppError } from '../../approvals/errors';
import type { Store } from '../../approvals/ports';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import type { SlackConfig } from '../../config/config';
import type { Workspaces } from '../../workspaces/workspaces';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api';
const BOT_TOKEN = 'slackBotToken';
const SIGNING_SECRET = 'slackSigningSecret';
const TEAM_ID = /^[TE][A-Z0-9]{2,31}$/;
const DIRECTORY_TTL_MS = 30_000;

export interface SlackLink {
  /** Slack's team id (T…), as auth.test answered for the bot token. */
  teamId: string;
  teamName: string | null;
  /** Where requests are announced unless their rule says `notify`. */
  channel: string;
  /** The bot's own user id, from auth.test. */
  botUserId: string | null;
  linkedAt: number;
  /** A Web API base of this workspace's own: only the playground sets one, for its fake Slack. */
  apiUrl?: string;
  /** 'oauth' for an "Add to Slack" install; absent for `slack link` (a self-hosted app's bot token). */
  installedBy?: 'oauth';
}

/** How a link was made, as `slack show` says it. */
export function installedBy(link: SlackLink): 'oauth' | 'bot_token' {
  return link.installedBy === 'oauth' ? 'oauth' : 'bot_token';
}

export interface SlackSecrets {
  botToken: string;
  signingSecret: string;
}

export class SlackSettings {
  private directory: { at: number; byTeam: Map<string, string> } | null = null;

  constructor(
    private readonly store: Pick<Store, 'workspaces'>,
    private readonly workspaces: Workspaces,
    private readonly config: SlackConfig,
  ) {}

  /** The link, when the workspace is linked and still holds its secrets (an OAuth link: its bot token). */
  link(workspace: WorkspaceRecord): SlackLink | null {
    const link = workspace.settings.slack as SlackLink | undefined;
    if (!link || !workspace.secrets[BOT_TOKEN]) return null;
    return link.installedBy === 'oauth' || workspace.secrets[SIGNING_SECRET] ? link : null;
  }

  botToken(workspace: WorkspaceRecord): string | null {
    return this.workspaces.openSecret(workspace, BOT_TOKEN);
  }

  /** The secret that signs the workspace's interactions: the app-level one for an OAuth link (null when unset). */
  signingSecret(workspace: WorkspaceRecord): string | null {
    const link = workspace.settings.slack as SlackLink | undefined;
    if (link?.installedBy === 'oauth') return this.config.signingSecret?.trim() || null;
    return this.workspaces.openSecret(workspace, SIGNING_SECRET);
  }

  /** SLACK_API_URL when set, else the link's own base (the playground's fake), else Slack's. */
  apiUrl(link: SlackLink | null): string {
    return this.config.apiUrl ?? link?.apiUrl ?? DEFAULT_SLACK_API_URL;
  }

  /** The workspace linked to a Slack team (cached briefly; links change rarely). */
  async workspaceForTeam(teamId: string): Promise<WorkspaceRecord | null> {
    let id = (await this.lookup(false)).get(teamId);
    if (!id) id = (await this.lookup(true)).get(teamId);
    const workspace = id ? await this.store.workspaces.get(id) : null;
    return workspace && this.link(workspace)?.teamId === teamId ? workspace : null;
  }

  async setLink(workspace: WorkspaceRecord, link: SlackLink, secrets: SlackSecrets): Promise<WorkspaceRecord> {
    checkLink(link, secrets.botToken);
    checkSigningSecret(secrets.signingSecret);
    const { installedBy: _oauth, ...botTokenLink } = link;
    return this.save(workspace, botTokenLink, secrets.botToken, secrets.signingSecret.trim());
  }

  /** An "Add to Slack" link: the bot token only (a signing secret the workspace held before is forgotten). */
  async setOAuthLink(workspace: WorkspaceRecord, link: Omit<SlackLink, 'installedBy'>, botToken: string): Promise<WorkspaceRecord> {
    checkLink(link, botToken);
    return this.save(workspace, { ...link, installedBy: 'oauth' }, botToken, null);
  }

  private async save(workspace: WorkspaceRecord, link: SlackLink, botToken: string, signingSecret: string | null): Promise<WorkspaceRecord> {
    const owner = await this.workspaceForTeam(link.teamId);
    if (owner && owner.id !== workspace.id) throw new AppError('conflict', 'slack_team_taken', `Slack team ${link.teamId} is already linked to "${owner.name}".`);
    // The token first, then the secret with the link: the link is in force only once both are stored.
    const withToken = await this.workspaces.storeSecret(workspace, BOT_TOKEN, botToken.trim());
    const linked = await this.workspaces.storeSecret(withToken, SIGNING_SECRET, signingSecret, { ...withToken.settings, slack: link });
    this.directory = null;
    return linked;
  }

  async unlink(workspace: WorkspaceRecord): Promise<WorkspaceRecord> {
    const { slack: _removed, ...settings } = workspace.settings;
    const withoutToken = await this.workspaces.storeSecret(workspace, BOT_TOKEN, null, settings as WorkspaceRecord['settings']);
    const unlinked = await this.workspaces.storeSecret(withoutToken, SIGNING_SECRET, null);
    this.directory = null;
    return unlinked;
  }

  private async lookup(refresh: boolean): Promise<Map<string, string>> {
    if (refresh || !this.directory || Date.now() - this.directory.at > DIRECTORY_TTL_MS) {
      const byTeam = new Map<string, string>();
      for (const workspace of await this.store.workspaces.list()) {
        const link = this.link(workspace);
        if (link) byTeam.set(link.teamId, workspace.id);
      }
      this.directory = { at: Date.now(), byTeam };
    }
    return this.directory.byTeam;
  }
}

/** A channel id as rules and `slack link --channel` take it (C…, G…, D…). */
export function slackChannel(value: string): SlackChannelRef['slack'] {
  const parsed = ChannelRefSchema.safeParse({ slack: value });
  if (!parsed.success) throw new AppError('bad_request', 'invalid_slack_channel', 'A Slack channel is its id, like C0123ABCD (in Slack: the channel\'s details, at the bottom), not its #name.');
  return parsed.data.slack;
}

function checkLink(link: Pick<SlackLink, 'teamId' | 'channel'>, botToken: string): void {
  if (!TEAM_ID.test(link.teamId)) throw new AppError('bad_request', 'invalid_slack_team', 'A Slack team id looks like T0123ABCD.');
  slackChannel(link.channel);
  if (!/^xox[bp]-[A-Za-z0-9-]{8,}$/.test(botToken.trim())) throw new AppError('bad_request', 'invalid_slack_token', 'SLACK_BOT_TOKEN must be the app\'s bot token (xoxb-…), from OAuth & Permissions.');
}

function checkSigningSecret(signingSecret: string): void {
  if (signingSecret.trim().length < 16) throw new AppError('bad_request', 'invalid_slack_signing_secret', 'SLACK_SIGNING_SECRET must be the app\'s signing secret (Basic Information → App Credentials).');
}
