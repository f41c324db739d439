// The playground workspace's Slack side: a fake Slack workspace whose Web API is this server
// (/playground/slack-api), linked like a real one (its bot token and signing secret stored sealed)
// with the link's own API base, so only the playground's own workspace talks to it. SLACK_API_URL,
// when set, still wins for every workspace, the playground's included.
import type { WorkspaceRecord } from '@countersign/server/approvals';
import type { SlackSettings } from '@countersign/server/integrations/slack';
import { FakeSlackWorkspace } from './fake-slack';

export const PLAYGROUND_SLACK_TEAM = 'T0PLAYGRND';
export const PLAYGROUND_SLACK_CHANNEL = 'C0APPROVALS';
export const SLACK_API_MOUNT = '/playground/slack-api';

/** Who may click in the playground's Slack: a member, and a guest (refused, with the reason shown to them). */
export const PLAYGROUND_SLACK_USERS = [
  { id: 'U0PAT', name: 'Pat Reviewer', email: 'pat@playground.example', guest: false },
  { id: 'U0GUEST', name: 'Gus Guest', email: 'gus@playground.example', guest: true },
] as const;

export interface PlaygroundSlack {
  fake: FakeSlackWorkspace;
  channel: { id: string; name: string };
  /** Modals closed on the page (Slack forgets them; the fake keeps every one it opened). */
  closedViews: Set<string>;
}

export async function connectFakeSlack(slack: SlackSettings, workspace: WorkspaceRecord, selfUrl: string): Promise<{ workspace: WorkspaceRecord; slack: PlaygroundSlack }> {
  const fake = new FakeSlackWorkspace(PLAYGROUND_SLACK_TEAM, 'Playground');
  fake.channels.add(PLAYGROUND_SLACK_CHANNEL);
  for (const user of PLAYGROUND_SLACK_USERS) fake.addUser(user.id, user.name, { email: user.email, guest: user.guest });
  // Linked directly with the fake's own team and bot (what auth.test would answer for its token).
  const linked = await slack.setLink(
    workspace,
    { teamId: fake.teamId, teamName: fake.teamName, channel: PLAYGROUND_SLACK_CHANNEL, botUserId: fake.botUserId, linkedAt: Date.now(), apiUrl: `${selfUrl}${SLACK_API_MOUNT}` },
    { botToken: fake.botToken, signingSecret: fake.signingSecret },
  );
  return { workspace: linked, slack: { fake, channel: { id: PLAYGROUND_SLACK_CHANNEL, name: 'approvals' }, closedViews: new Set() } };
}
