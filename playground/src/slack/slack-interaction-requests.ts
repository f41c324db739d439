// Slack's interactivity requests as Slack sends them to an app's Request URL: a form-encoded body with
// one `payload` field holding the JSON, signed with the app's signing secret (X-Slack-Signature,
// X-Slack-Request-Timestamp). The playground's Slack tab and the tests both build them here.
import { slackSignature } from '@countersign/server/integrations/slack';

export interface InteractionActor {
  teamId: string;
  userId: string;
  userName: string;
}

export interface ClickedMessage {
  channel: string;
  ts: string;
  blocks: unknown[];
}

export function blockActionsPayload(actor: InteractionActor, message: ClickedMessage, action: { actionId: string; value: string; blockId?: string }, triggerId: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: actor.teamId, domain: 'playground' },
    user: { id: actor.userId, username: actor.userName, name: actor.userName, team_id: actor.teamId },
    api_app_id: 'A0COUNTERSIGN',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: triggerId,
    channel: { id: message.channel, name: 'approvals' },
    message: { type: 'message', ts: message.ts, blocks: message.blocks },
    response_url: 'https://hooks.slack.com/actions/T0/1/never-called',
    actions: [{ type: 'button', action_id: action.actionId, block_id: action.blockId ?? 'countersign_actions', value: action.value, action_ts: String(Date.now() / 1000) }],
  };
}

/** A modal's submission; `values` is view.state.values: block id → action id → the input's state. */
export function viewSubmissionPayload(actor: InteractionActor, view: { id: string; callback_id?: unknown; private_metadata?: unknown }, values: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: actor.teamId, domain: 'playground' },
    user: { id: actor.userId, username: actor.userName, name: actor.userName, team_id: actor.teamId },
    api_app_id: 'A0COUNTERSIGN',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.submission`,
    view: { id: view.id, team_id: actor.teamId, type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values } },
  };
}

/** The request Slack would send: the form body and its signature headers. */
export function signedInteraction(signingSecret: string, payload: Record<string, unknown>, nowMs = Date.now()): { headers: Record<string, string>; body: string } {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': slackSignature(signingSecret, timestamp, body) },
    body,
  };
}
