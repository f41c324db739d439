// Who may decide one request: the eligible reviewers its policy rule named (any one match), and never
// the person who asked for it (four eyes).
// A `mutation-check: <name>` comment marks a check test/proof/mutation-check.test.ts removes, to show its tests fail.
import type { EligibleReviewers } from '@countersign/shared';
import { reviewerKey, type VerifiedReviewer } from './reviewer-identity';

export type Eligibility = { eligible: true } | { eligible: false; code: 'reviewer_not_eligible' | 'self_approval'; reason: string };

/** Who asked for the request (intake's `requestedBy`), as far as the automation knew. */
export interface RequestedBy {
  id?: string;
  email?: string;
}

export function eligibility(reviewers: EligibleReviewers | null, requestedBy: RequestedBy | null, who: VerifiedReviewer, ruleId: string | null): Eligibility {
  // mutation-check: four-eyes
  if (requestedBy && isRequester(requestedBy, who)) {
    return { eligible: false, code: 'self_approval', reason: 'You asked for this request, so someone else must decide it (four eyes).' };
  }
  // mutation-check: eligibility
  if (!reviewers || matchesAny(reviewers, who)) return { eligible: true };
  return { eligible: false, code: 'reviewer_not_eligible', reason: `Only ${describe(reviewers)} may decide this request${ruleId ? ` (policy rule "${ruleId}")` : ''}.` };
}

function matchesAny(reviewers: EligibleReviewers, who: VerifiedReviewer): boolean {
  const email = who.reviewer.email?.toLowerCase();
  return (
    (reviewers.ids ?? []).includes(reviewerKey(who.reviewer)) ||
    (email !== undefined && (reviewers.emails ?? []).some((candidate) => candidate.toLowerCase() === email)) ||
    (reviewers.zendeskGroups ?? []).some((group) => who.zendeskGroups.includes(group)) ||
    (reviewers.zendeskRoles ?? []).some((role) => who.zendeskRoles.includes(role)) ||
    (reviewers.intercomTeams ?? []).some((team) => who.intercomTeams.includes(team))
  );
}

/**
 * The requester named by id matches a reviewer of any channel with that id, and by email a reviewer
 * with that email: the requester's channel is unknown, and refusing a coincidence is the safe side.
 */
function isRequester(requestedBy: RequestedBy, who: VerifiedReviewer): boolean {
  const email = who.reviewer.email?.toLowerCase();
  return (requestedBy.id !== undefined && requestedBy.id === who.reviewer.id) || (requestedBy.email !== undefined && email !== undefined && requestedBy.email.toLowerCase() === email);
}

/** The eligible reviewers in words: "cfo@example.com, Zendesk user 381 or members of Zendesk group 360001". */
export function describe(reviewers: EligibleReviewers): string {
  const parts = [
    ...(reviewers.emails ?? []),
    ...(reviewers.ids ?? []).map(namedReviewer),
    ...(reviewers.zendeskGroups ?? []).map((group) => `members of Zendesk group ${group}`),
    ...(reviewers.zendeskRoles ?? []).map(zendeskRole),
    ...(reviewers.intercomTeams ?? []).map((team) => `members of Intercom team ${team}`),
  ];
  return parts.length <= 1 ? (parts[0] ?? 'nobody') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

const CHANNEL_PEOPLE: Record<string, string> = { api: 'API reviewer', zendesk: 'Zendesk user', intercom: 'Intercom teammate', slack: 'Slack user' };

/** "zendesk:381" reads as "Zendesk user 381": an agent cannot be expected to know the via:id notation. */
function namedReviewer(key: string): string {
  const colon = key.indexOf(':');
  const people = CHANNEL_PEOPLE[key.slice(0, colon)];
  return colon > 0 && people ? `${people} ${key.slice(colon + 1)}` : key;
}

/** Zendesk's built-in roles by name; anything else is a custom role id. */
function zendeskRole(role: string): string {
  return role === 'admin' || role === 'agent' ? `Zendesk ${role}s` : `Zendesk agents with custom role ${role}`;
}
