// POST /slack/interactions: Slack's interactivity requests (button clicks, modal submissions). The
// signature is checked with the signing secret of the workspace linked to the payload's team, and a
// request whose signature was seen before is a replay: both are 401, the same answer as an unknown
// team, so the endpoint tells nobody which teams are linked. Slack then gets its answer at once (it
// waits 3 s at most) and the work runs after it: a click's decision or modal, a submission's decision.
// A modal's inputs are checked before answering, so problems show on the form itself.
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import type { PlatformEventStore } from '../../approvals/ports';
import { methodNotAllowed } from '../../http/error-handler';
import { parseStrictJson } from '../../http/json-body';
import { EDIT_VIEW, readEdits, readModalContext, readRejection, REJECT_VIEW, type SubmittedDecision, type ViewState } from './decision-modals';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySlackSignature } from './request-signature';
import { BUTTON_ACTIONS, type ButtonAction, type InteractionWho, type SlackInteractions } from './slack-interactions';
import type { SlackSettings } from './slack-settings';

export const SLACK_SOURCE = 'slack';
export const INTERACTIONS_PATH = '/slack/interactions';

const Id = z.string().min(1).max(64);
const Interaction = z.looseObject({
  type: z.string().max(64),
  team: z.looseObject({ id: Id }).nullish(),
  user: z.looseObject({ id: Id, team_id: Id.optional() }),
  trigger_id: z.string().max(256).optional(),
  channel: z.looseObject({ id: Id }).nullish(),
  container: z.looseObject({ channel_id: Id.optional() }).nullish(),
  actions: z.array(z.looseObject({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).max(10).optional(),
  view: z.looseObject({
    callback_id: z.string().max(255).optional(),
    private_metadata: z.string().max(3000).optional(),
    team_id: Id.optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }).optional(),
  }).nullish(),
});
type Interaction = z.infer<typeof Interaction>;

export interface InteractionRouteDeps {
  slack: SlackSettings;
  interactions: SlackInteractions;
  service: ApprovalService;
  platformEvents: Pick<PlatformEventStore, 'claim'>;
  bodyLimitBytes: number;
  /** Runs work after Slack has its answer, tracked so shutdown lets it finish. */
  track: (work: Promise<unknown>) => void;
  log: Logger;
  clock?: () => number;
}

export function slackInteractionRoutes(deps: InteractionRouteDeps): Router {
  const router = Router();
  const clock = deps.clock ?? Date.now;
  router
    .route(INTERACTIONS_PATH)
    .post(express.raw({ type: () => true, limit: deps.bodyLimitBytes }), async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const now = clock();
      const payload = interactionOf(raw);
      const teamId = payload ? (payload.team?.id ?? payload.view?.team_id ?? payload.user.team_id) : undefined;
      const workspace = teamId ? await deps.slack.workspaceForTeam(teamId) : null;
      const link = workspace ? deps.slack.link(workspace) : null;
      const secret = workspace && link ? deps.slack.signingSecret(workspace) : null;
      const check = secret ? verifySlackSignature(secret, req.get(TIMESTAMP_HEADER), req.get(SIGNATURE_HEADER), raw, now) : null;
      if (!payload || !workspace || !link || !check?.ok) throw refused();
      // A signature is good for one request: the same one again is a replay, however fresh.
      if (!(await deps.platformEvents.claim(SLACK_SOURCE, check.signature, now))) throw refused();
      const who: InteractionWho = { workspace, link, userId: payload.user.id, channel: payload.channel?.id ?? payload.container?.channel_id ?? null };
      const after = (work: () => Promise<void>) => res.once('finish', () => deps.track(work().catch((err: unknown) => deps.log.error({ err }, 'slack interaction failed'))));

      if (payload.type === 'block_actions') {
        const action = payload.actions?.[0];
        if (action && isButton(action.action_id) && action.value) after(() => deps.interactions.click(who, action.action_id as ButtonAction, action.value!, payload.trigger_id));
        return void res.status(200).end();
      }
      if (payload.type === 'view_submission') return void (await answerSubmission(deps, payload, who, res, after));
      // Anything else (a modal closed, a shortcut): acknowledged, nothing to do.
      res.status(200).end();
    })
    .all(methodNotAllowed(['POST']));
  return router;
}

async function answerSubmission(deps: InteractionRouteDeps, payload: Interaction, who: InteractionWho, res: express.Response, after: (work: () => Promise<void>) => void): Promise<void> {
  const view = payload.view;
  const context = readModalContext(view?.private_metadata);
  const state = (view?.state?.values ?? {}) as ViewState;
  if (!context || (view?.callback_id !== REJECT_VIEW && view?.callback_id !== EDIT_VIEW)) return void res.status(200).end();
  const target = { ...who, channel: context.channel };
  if (view.callback_id === REJECT_VIEW) {
    const decision = readRejection(state);
    if (!decision.ok) return void res.status(200).json({ response_action: 'errors', errors: decision.errors });
    after(() => deps.interactions.submit(target, context.approvalId, decisionOf(decision)));
    return void res.status(200).end();
  }
  const approval = await deps.service.get({ workspaceId: who.workspace.id }, context.approvalId).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!approval) return void res.status(200).json({ response_action: 'errors', errors: { note: 'Countersign has no such request (any more).' } });
  const decision = readEdits(approval, context, state);
  if (!decision.ok) return void res.status(200).json({ response_action: 'errors', errors: decision.errors });
  after(() => deps.interactions.submit(target, context.approvalId, decisionOf(decision)));
  res.status(200).end();
}

function decisionOf({ ok: _ok, ...decision }: Extract<SubmittedDecision, { ok: true }>) {
  return decision;
}

/** The interaction in a form-encoded `payload` field, or null when the body is not one. */
function interactionOf(raw: Buffer): Interaction | null {
  try {
    const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
    if (!payload) return null;
    const parsed = Interaction.safeParse(parseStrictJson(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isButton(actionId: string): actionId is ButtonAction {
  return (BUTTON_ACTIONS as readonly string[]).includes(actionId);
}

function refused(): AppError {
  return new AppError('unauthorized', 'invalid_signature', 'X-Slack-Signature is missing, does not match the body, is older than 5 minutes or was used before (v0= HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret of the linked Slack app).');
}
