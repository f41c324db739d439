// Who clicked: the Slack user of a signed interaction, as Slack's API describes them (users.info with
// the workspace's bot token), becomes the reviewer {id, name, email, via: "slack"}. Only a full member
// of the linked team counts: a deleted user, a bot, a guest, or someone from another team (a shared
// channel) is not one, whatever channel they can see. Answers are cached for a minute, so the Edit
// modal's submission, seconds after the click, needs no second call.
import type { Logger } from 'pino';
import type { SlackUser } from '../../approvals/reviewer-identity';
import { slackClient } from './slack-client';

const CACHE_MS = 60_000;
const CACHE_ENTRIES = 1000;
const USER_ID = /^[UW][A-Z0-9]{2,31}$/;
const UNKNOWN_USER_ERRORS = new Set(['user_not_found', 'user_not_visible']);

export type MemberLookup = { ok: true; user: SlackUser } | { ok: false; reason: string };

interface SlackApiUser {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

export interface MemberQuery {
  apiUrl: string;
  token: string;
  teamId: string;
  userId: string;
  /** The cache is per Countersign workspace. */
  workspaceId: string;
}

export class SlackMembers {
  private readonly cache = new Map<string, { at: number; lookup: MemberLookup }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly log?: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  async resolve(query: MemberQuery): Promise<MemberLookup> {
    if (!USER_ID.test(query.userId)) return { ok: false, reason: 'Slack did not say who you are.' };
    const key = `${query.workspaceId}\u0000${query.userId}`;
    const cached = this.cache.get(key);
    if (cached && this.clock() - cached.at < CACHE_MS) return cached.lookup;
    const lookup = await this.lookUp(query);
    // Only definite answers are kept: a failed call is tried again on the next click.
    if (lookup.ok || !lookup.reason.startsWith('Slack could not')) this.remember(key, lookup);
    return lookup;
  }

  private async lookUp(query: MemberQuery): Promise<MemberLookup> {
    let user: SlackApiUser | undefined;
    try {
      const client = slackClient(query.token, { apiUrl: query.apiUrl, timeoutMs: this.timeoutMs, log: this.log });
      user = (await client.users.info({ user: query.userId })).user as SlackApiUser | undefined;
    } catch (error) {
      // Slack's own answer that there is no such user (to this app): a definite "unknown".
      if (UNKNOWN_USER_ERRORS.has(String((error as { data?: { error?: string } }).data?.error))) return memberOf(undefined, query);
      this.log?.warn({ err: { code: (error as { code?: string }).code, message: (error as Error).message } }, 'slack users.info failed');
      return { ok: false, reason: 'Slack could not tell Countersign who you are just now; try again in a moment.' };
    }
    return memberOf(user, query);
  }

  private remember(key: string, lookup: MemberLookup): void {
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { at: this.clock(), lookup });
  }
}

function memberOf(user: SlackApiUser | undefined, query: MemberQuery): MemberLookup {
  if (!user || user.id !== query.userId) return { ok: false, reason: 'Countersign does not know this Slack user.' };
  if (user.deleted) return { ok: false, reason: 'This Slack account is deactivated.' };
  if (user.is_bot || user.is_app_user) return { ok: false, reason: 'Bots and apps cannot decide requests.' };
  if (user.is_restricted || user.is_ultra_restricted) return { ok: false, reason: 'Guests of this Slack workspace cannot decide requests.' };
  if (user.team_id !== query.teamId) return { ok: false, reason: 'Only members of the Slack workspace Countersign is linked to can decide its requests.' };
  const name = user.profile?.real_name || user.real_name || user.profile?.display_name || user.name || user.id;
  const email = user.profile?.email?.trim();
  return { ok: true, user: { id: user.id, name: name.slice(0, 200), ...(email ? { email: email.slice(0, 320) } : {}) } };
}
