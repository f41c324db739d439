// The calls of Zendesk's OAuth authorization-code flow once the agent has allowed it: the code for an
// access token (POST /oauth/tokens), who the agent is (GET /api/v2/users/me.json), and the agent's
// groups (GET /api/v2/users/{id}/group_memberships.json). Every call goes through the SSRF-guarded
// outbound client. The access token serves these reads only: it is never stored, logged or shown.
// https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
import { z } from 'zod';
import { AppError } from '../../approvals/errors';
import type { ZendeskAgent } from '../../approvals/reviewer-identity';
import type { CallbackGuard } from '../../outbound/callback-guard';
import { requestJson, type JsonOutcome } from '../../outbound/outbound-json';
import type { ZendeskSignInSetup } from './zendesk-settings';

const TIMEOUT_MS = 10_000;
/** An agent in more groups than this many pages of memberships is refused rather than half-known. */
const MAX_MEMBERSHIP_PAGES = 10;
const ZENDESK_ID = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);

const TokenAnswer = z.object({ access_token: z.string().min(1) });
const MeAnswer = z.object({
  user: z.object({
    id: ZENDESK_ID,
    name: z.string().trim().min(1).max(200),
    email: z.string().max(320).nullish(),
    role: z.string().min(1).max(50),
    custom_role_id: ZENDESK_ID.nullish(),
    suspended: z.boolean().nullish(),
  }),
});
const MembershipsAnswer = z.object({
  group_memberships: z.array(z.object({ group_id: ZENDESK_ID })),
  next_page: z.string().nullish(),
});

/** Roles that work tickets; an end-user (a customer) never decides. */
const AGENT_ROLES = new Set(['agent', 'admin']);

export async function exchangeCode(setup: ZendeskSignInSetup, code: string, redirectUri: string, guard: CallbackGuard): Promise<string> {
  const answer = await requestJson(`${setup.baseUrl}/oauth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'authorization_code', code, client_id: setup.clientId, client_secret: setup.clientSecret, redirect_uri: redirectUri, scope: 'read' }),
    timeoutMs: TIMEOUT_MS,
    guard,
    maxBytes: 64 * 1024,
  });
  unreachable(answer);
  const token = answer.ok ? TokenAnswer.safeParse(answer.json) : null;
  if (!token?.success) {
    throw new AppError('bad_request', 'zendesk_code_refused', `Zendesk did not accept the sign-in code (${answer.ok ? 'its answer had no access token' : answer.error}): it may have been used already or have expired. Close this window and confirm again from the sidebar.`);
  }
  return token.data.access_token;
}

/** The agent behind the token, with role, custom role and groups; refuses end-users and suspended users. */
export async function provenAgent(setup: ZendeskSignInSetup, accessToken: string, guard: CallbackGuard): Promise<ZendeskAgent> {
  const read = (url: string) => requestJson(url, { headers: { authorization: `Bearer ${accessToken}` }, timeoutMs: TIMEOUT_MS, guard });
  const me = await read(`${setup.baseUrl}/api/v2/users/me.json`);
  unreachable(me);
  const parsed = me.ok ? MeAnswer.safeParse(me.json) : null;
  if (!parsed?.success) throw new AppError('bad_request', 'zendesk_user_unknown', 'Zendesk did not say who you are; close this window and confirm again from the sidebar.');
  const user = parsed.data.user;
  if (!AGENT_ROLES.has(user.role)) throw new AppError('forbidden', 'not_an_agent', `You are signed in to Zendesk as ${user.name}, who is not an agent (role "${user.role}"): only agents and admins decide requests.`);
  if (user.suspended) throw new AppError('forbidden', 'agent_suspended', `${user.name} is suspended in Zendesk and cannot decide requests.`);
  return {
    id: user.id,
    name: user.name,
    ...(user.email && /^[^\s@]+@[^\s@]+$/.test(user.email) ? { email: user.email } : {}),
    role: user.role,
    ...(user.custom_role_id ? { customRoleId: user.custom_role_id } : {}),
    groups: await groupIds(setup, user.id, read),
  };
}

async function groupIds(setup: ZendeskSignInSetup, userId: string, read: (url: string) => Promise<JsonOutcome>): Promise<string[]> {
  const groups = new Set<string>();
  let url: string | null = `${setup.baseUrl}/api/v2/users/${userId}/group_memberships.json`;
  for (let page = 0; url !== null; page++) {
    // A partial list would make eligibility by group wrong for a whole session: refuse instead.
    if (page >= MAX_MEMBERSHIP_PAGES) throw new AppError('forbidden', 'too_many_groups', `You are in more groups than Countersign reads (${MAX_MEMBERSHIP_PAGES} pages); ask your admin.`);
    const answer = await read(url);
    unreachable(answer);
    const parsed = answer.ok ? MembershipsAnswer.safeParse(answer.json) : null;
    if (!parsed?.success) throw new AppError('bad_request', 'zendesk_groups_unknown', 'Zendesk did not list your groups; close this window and confirm again from the sidebar.');
    for (const membership of parsed.data.group_memberships) groups.add(membership.group_id);
    // Only pages of the same account: the token must never travel to another host.
    const next = parsed.data.next_page;
    url = next && next.startsWith(`${setup.baseUrl}/api/v2/`) ? next : null;
  }
  return [...groups];
}

/** No answer at all (a timeout, a refused connection, a blocked address) is Zendesk being unreachable, not a refusal. */
function unreachable(answer: JsonOutcome): void {
  if (!answer.ok && answer.statusCode === null) {
    throw new AppError('unavailable', 'zendesk_unreachable', 'Countersign could not reach Zendesk to finish the sign-in; try again in a moment.');
  }
}
