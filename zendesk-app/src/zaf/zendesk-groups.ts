// A Zendesk group's name, from Zendesk's own API through the ZAF client (the agent's Zendesk session,
// not Countersign's proxy): policy rules name groups by id, agents know them by name. Any failure
// (no permission, no such group, an older host) answers null and the sidebar shows the id.
import type { ZafClient } from './zaf-client';

const GROUP_ID = /^[0-9A-Za-z_-]{1,64}$/;

export async function zendeskGroupName(client: ZafClient, groupId: string): Promise<string | null> {
  if (!GROUP_ID.test(groupId)) return null;
  try {
    const answer = await client.request({ url: `/api/v2/groups/${groupId}.json`, type: 'GET' });
    const name = (bodyOf(answer) as { group?: { name?: unknown } } | null)?.group?.name;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
  } catch {
    return null;
  }
}

/** The parsed body, whether the host answered it bare or as a complete response. */
function bodyOf(answer: unknown): unknown {
  if (typeof answer === 'string') {
    try {
      return JSON.parse(answer);
    } catch {
      return null;
    }
  }
  const complete = answer as { responseJSON?: unknown } | null;
  return complete && typeof complete === 'object' && 'responseJSON' in complete ? complete.responseJSON : answer;
}
