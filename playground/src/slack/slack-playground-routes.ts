// The playground's Slack side, as routes: the fake Slack Web API Countersign's outbox and interactions
// call (/playground/slack-api/{method}), the Slack tab's view of the fake channel, and the tab's clicks
// and modal submissions, which these routes send to POST /slack/interactions exactly as Slack would:
// form-encoded, signed server-side with the fake app's signing secret (never sent to the browser).
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '@countersign/server/approvals';
import { jsonBody, validate } from '@countersign/server/http';
import type { PlaygroundRuntime } from '../playground-routes';
import { fakeSlackApiRoutes } from './fake-slack';
import { blockActionsPayload, signedInteraction, viewSubmissionPayload, type InteractionActor } from './slack-interaction-requests';
import { PLAYGROUND_SLACK_USERS, SLACK_API_MOUNT } from './slack-playground';
import type { SlackTabAnswer, SlackTabState } from './slack-tab-state';

const SELF_CALL_TIMEOUT_MS = 10_000;
const SHOWN_MESSAGES = 30;
const SHOWN_EPHEMERALS = 10;

const UserId = z.enum(PLAYGROUND_SLACK_USERS.map((user) => user.id) as [string, ...string[]]);
const ClickInput = z.strictObject({ ts: z.string().regex(/^\d+\.\d+$/), actionId: z.string().min(1).max(255), userId: UserId });
const InputState = z.strictObject({
  type: z.enum(['plain_text_input', 'number_input', 'radio_buttons']),
  value: z.string().max(4000).nullish(),
  selected_option: z.strictObject({ value: z.string().max(100) }).nullish(),
});
const SubmitInput = z.strictObject({ viewId: z.string().regex(/^V[A-Z0-9]{4,20}$/), values: z.record(z.string().max(255), z.record(z.string().max(255), InputState)) });

export function slackPlaygroundRoutes(runtime: () => PlaygroundRuntime | null): Router {
  const router = Router();
  const ready = (): PlaygroundRuntime => {
    const current = runtime();
    if (!current) throw new AppError('unavailable', 'playground_starting', 'The playground is still starting; try again in a moment.');
    return current;
  };
  /** trigger_id → who clicked, so a modal's submission is sent as the user who opened it. */
  const openedBy = new Map<string, string>();

  router.use(fakeSlackApiRoutes(SLACK_API_MOUNT, () => runtime()?.slack.fake ?? null));

  router.get('/playground/api/slack/state', (_req, res) => {
    const { slack } = ready();
    const messages = slack.fake.channelMessages(slack.channel.id).slice(-SHOWN_MESSAGES).map((m) => ({
      ts: m.ts, text: m.text, blocks: m.blocks, updates: m.updates, postedAt: m.postedAt,
      replies: slack.fake.replies(slack.channel.id, m.ts).map((r) => ({ ts: r.ts, text: r.text, blocks: r.blocks, postedAt: r.postedAt })),
    }));
    const open = slack.fake.views.filter((v) => !slack.closedViews.has(v.id)).at(-1);
    const state: SlackTabState = {
      channel: slack.channel,
      users: PLAYGROUND_SLACK_USERS.map(({ id, name, guest }) => ({ id, name, guest })),
      messages,
      ephemerals: slack.fake.ephemerals.filter((e) => e.channel === slack.channel.id).slice(-SHOWN_EPHEMERALS).map(({ user, text, at }) => ({ user, text, at })),
      view: open ? { id: open.id, view: open.view, userId: openedBy.get(open.triggerId) ?? null } : null,
    };
    res.json(state);
  });

  router.post('/playground/api/slack/click', ...jsonBody({ limitBytes: 4096 }), async (req, res) => {
    const { ts, actionId, userId } = validate(ClickInput, req.body);
    const rt = ready();
    const message = rt.slack.fake.channelMessages(rt.slack.channel.id).find((m) => m.ts === ts);
    const button = message && findButton(message.blocks, actionId);
    if (!message || !button) throw new AppError('not_found', 'no_such_button', 'That message has no such button (any more).');
    const trigger = rt.slack.fake.newTrigger();
    openedBy.set(trigger, userId);
    const payload = blockActionsPayload(actorOf(rt, userId), { channel: rt.slack.channel.id, ts, blocks: message.blocks }, { actionId, value: button.value }, trigger);
    res.json(await sendInteraction(rt, payload));
  });

  router.post('/playground/api/slack/submit', ...jsonBody({ limitBytes: 64 * 1024 }), async (req, res) => {
    const { viewId, values } = validate(SubmitInput, req.body);
    const rt = ready();
    const opened = rt.slack.fake.views.find((v) => v.id === viewId && !rt.slack.closedViews.has(v.id));
    const userId = opened ? openedBy.get(opened.triggerId) : undefined;
    if (!opened || !userId) throw new AppError('not_found', 'no_such_view', 'That form is not open (any more).');
    const answer = await sendInteraction(rt, viewSubmissionPayload(actorOf(rt, userId), { id: opened.id, callback_id: opened.view.callback_id, private_metadata: opened.view.private_metadata }, values));
    if (!answer.errors) rt.slack.closedViews.add(opened.id);
    res.json(answer);
  });

  router.post('/playground/api/slack/views/:id/close', (req, res) => {
    ready().slack.closedViews.add(String(req.params.id).slice(0, 40));
    res.status(204).end();
  });

  return router;
}

function actorOf(rt: PlaygroundRuntime, userId: string): InteractionActor {
  const user = PLAYGROUND_SLACK_USERS.find((u) => u.id === userId)!;
  return { teamId: rt.slack.fake.teamId, userId: user.id, userName: user.name };
}

/** The button with this action id in a message's actions blocks. */
function findButton(blocks: unknown[], actionId: string): { value: string } | null {
  for (const block of blocks as Array<{ type?: string; elements?: Array<{ type?: string; action_id?: string; value?: unknown }> }>) {
    if (block.type !== 'actions') continue;
    const button = block.elements?.find((e) => e.type === 'button' && e.action_id === actionId && typeof e.value === 'string');
    if (button) return { value: button.value as string };
  }
  return null;
}

async function sendInteraction(rt: PlaygroundRuntime, payload: Record<string, unknown>): Promise<SlackTabAnswer> {
  const { headers, body } = signedInteraction(rt.slack.fake.signingSecret, payload);
  try {
    const response = await fetch(`${rt.selfUrl}/slack/interactions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(SELF_CALL_TIMEOUT_MS) });
    const text = await response.text();
    const answer = text ? (JSON.parse(text) as { response_action?: string; errors?: Record<string, string> }) : {};
    return answer.response_action === 'errors' && answer.errors ? { status: response.status, errors: answer.errors } : { status: response.status };
  } catch {
    return { status: 0 };
  }
}
