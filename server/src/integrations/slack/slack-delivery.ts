// Slack messages as outbox deliveries: a request needing a human is posted to the workspace's channel
// (or the rule's `notify` channel); its reminder is a reply in that message's thread; its escalation is
// the request posted again to the rule's `escalateTo` channel; when it ends, every message posted about
// it is updated to say how (chat.update). Planned in the change's transaction like every delivery, and
// sent with the workspace's current bot token (read at send time).
//
// An update or a reply needs the posted message's channel and ts, which the post records when Slack
// answers it (store.postedMessages). Until then it waits: its attempt is held back and retried just
// after the post's own next attempt, and it gives up only when no post is left to wait for.
import type { Logger } from 'pino';
import type { ApprovalTransition } from '../../approvals/approval-effects';
import type { OutboxStore, PostedMessageStore } from '../../approvals/ports';
import type { ApprovalRecord, DeliveryRecord, PostedMessageRecord } from '../../approvals/records';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import { givenUp, superseded, type AttemptResult, type DeliveryKind } from '../../delivery/delivery-kind';
import { newDelivery } from '../../delivery/new-delivery';
import { requestLinks, type RequestLinkDeps } from './request-links';
import { escalationMessage, reminderMessage, requestMessage, settledMessage, votedMessage, type SlackMessage } from './request-message';
import { failedAttempt, slackClient, succeeded } from './slack-client';
import type { SlackLink, SlackSettings } from './slack-settings';

export const SLACK_MESSAGE_KIND = 'slack_message';

type Role = PostedMessageRecord['role'];

/** What one Slack delivery does, fixed when it is planned (its body). */
export type SlackCall =
  | { call: 'post'; role: Role; channel: string; message: SlackMessage }
  /** `version`: the approval's, so an update that a later one overtook is not sent after it. */
  | { call: 'update'; role: Role; message: SlackMessage; version?: number }
  | { call: 'reply'; role: Role; message: SlackMessage };

export interface SlackDeliveryDeps {
  slack: SlackSettings;
  postedMessages: PostedMessageStore;
  outbox: Pick<OutboxStore, 'list'>;
  links: RequestLinkDeps;
  timeoutMs: number;
  log?: Logger;
  clock?: () => number;
}

/** A held-back update's wait beyond the post's next attempt. */
const AFTER_POST_MS = 500;
const MIN_WAIT_MS = 1000;

export function slackMessageDelivery(deps: SlackDeliveryDeps): DeliveryKind {
  const clock = deps.clock ?? Date.now;
  return {
    name: SLACK_MESSAGE_KIND,
    plan({ transition, approval, workspace }) {
      const link = deps.slack.link(workspace);
      if (!link) return [];
      return callsFor(transition, approval, link, requestLinks(deps.links, approval, workspace), clock()).map((call) => newDelivery(approval, SLACK_MESSAGE_KIND, targetOf(deps.slack.apiUrl(link), call), JSON.stringify(call)));
    },
    async send(delivery, workspace) {
      const link = deps.slack.link(workspace);
      const token = deps.slack.botToken(workspace);
      if (!link || !token) return givenUp('the workspace is no longer linked to Slack');
      const apiUrl = deps.slack.apiUrl(link);
      // Planned for one Slack API; never send this workspace's token anywhere else.
      if (!delivery.target.startsWith(`${apiUrl}/`)) return givenUp('the workspace now points at a different Slack API');
      const call = JSON.parse(delivery.body) as SlackCall;
      const client = slackClient(token, { apiUrl, timeoutMs: deps.timeoutMs, log: deps.log });
      const started = performance.now();
      const took = () => Math.round(performance.now() - started);
      try {
        if (call.call === 'post') {
          const result = await client.chat.postMessage({ channel: call.channel, text: call.message.text, blocks: call.message.blocks, unfurl_links: false, unfurl_media: false });
          await deps.postedMessages.record({ workspaceId: delivery.workspaceId, approvalId: delivery.approvalId, role: call.role, platform: 'slack', channel: result.channel ?? call.channel, messageId: String(result.ts), postedAt: clock() });
          return succeeded(result, took());
        }
        if (call.call === 'update' && (await overtaken(deps.outbox, delivery, call))) return superseded('a later update of the message was planned');
        const posted = await deps.postedMessages.get(delivery.workspaceId, delivery.approvalId, call.role);
        if (!posted) return await waitForPost(deps.outbox, delivery, call.role, clock());
        const result = call.call === 'update'
          ? await client.chat.update({ channel: posted.channel, ts: posted.messageId, text: call.message.text, blocks: call.message.blocks })
          : await client.chat.postMessage({ channel: posted.channel, thread_ts: posted.messageId, text: call.message.text, blocks: call.message.blocks, unfurl_links: false, unfurl_media: false });
        return succeeded(result, took());
      } catch (error) {
        return failedAttempt(error, took());
      }
    },
  };
}

function callsFor(transition: ApprovalTransition, approval: ApprovalRecord, link: SlackLink, links: ReturnType<typeof requestLinks>, now: number): SlackCall[] {
  const reach = approval.requirement?.reach;
  switch (transition) {
    case 'created':
      return approval.status === 'pending' ? [{ call: 'post', role: 'request', channel: reach?.notify?.slack ?? link.channel, message: requestMessage(approval, links) }] : [];
    case 'settled':
    case 'voted': {
      const message = transition === 'settled' ? settledMessage(approval, links) : votedMessage(approval, links);
      const roles: Role[] = approval.escalatedAt != null ? ['request', 'escalation'] : ['request'];
      return roles.map((role) => ({ call: 'update', role, message, version: approval.version }));
    }
    case 'reminded':
      return [{ call: 'reply', role: 'request', message: reminderMessage(approval, now) }];
    case 'escalated':
      return reach?.escalateTo ? [{ call: 'post', role: 'escalation', channel: reach.escalateTo.slack, message: escalationMessage(approval, links, now) }] : [];
  }
}

function targetOf(apiUrl: string, call: SlackCall): string {
  return `${apiUrl}/${call.call === 'update' ? 'chat.update' : 'chat.postMessage'}`;
}

/**
 * No message recorded yet for the role: held back until just after the post's next attempt while the
 * post may still succeed; given up when it cannot (it failed, or there never was one).
 */
async function waitForPost(outbox: Pick<OutboxStore, 'list'>, delivery: DeliveryRecord, role: Role, now: number): Promise<AttemptResult> {
  const posts = (await outbox.list(delivery.workspaceId, delivery.approvalId)).filter((d) => d.kind === SLACK_MESSAGE_KIND && isPost(d, role));
  const pending = posts.filter((d) => d.status === 'pending');
  if (pending.length === 0) return givenUp(posts.length > 0 ? 'the Slack message it needs was never posted (its post gave up)' : 'no Slack message was posted for this request');
  // A post due or in flight now is looked for again shortly; one waiting for its retry, just after it.
  const nextPost = Math.max(...pending.map((d) => d.nextAttemptAt));
  return { ok: false, statusCode: null, error: 'waiting for the Slack message to be posted first', retryAfterMs: Math.max(MIN_WAIT_MS, nextPost - now + AFTER_POST_MS), permanent: false, durationMs: 0, blocked: true };
}

/**
 * Whether a later update of the same message exists (a quorum's vote, then the settlement): sending
 * this one after it would put the buttons back on a decided request. Two updates in flight at once
 * are not ordered by this; the claim order of the outbox (oldest first) makes that rare.
 */
async function overtaken(outbox: Pick<OutboxStore, 'list'>, delivery: DeliveryRecord, call: Extract<SlackCall, { call: 'update' }>): Promise<boolean> {
  if (call.version === undefined) return false;
  const others = (await outbox.list(delivery.workspaceId, delivery.approvalId)).filter((d) => d.kind === SLACK_MESSAGE_KIND && d.id !== delivery.id);
  return others.some((other) => {
    const later = callOf(other);
    return later?.call === 'update' && later.role === call.role && (later.version ?? 0) > call.version!;
  });
}

function callOf(delivery: DeliveryRecord): SlackCall | null {
  try {
    return JSON.parse(delivery.body) as SlackCall;
  } catch {
    return null;
  }
}

function isPost(delivery: DeliveryRecord, role: Role): boolean {
  const call = callOf(delivery);
  return call?.call === 'post' && call.role === role;
}
