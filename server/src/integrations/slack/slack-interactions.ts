// What a verified Slack interaction does, after Slack has had its acknowledgement: a click on Approve
// decides at once; Reject and Edit open their modal (views.open, within the trigger's 3 seconds); a
// submitted modal decides. The reviewer is the Slack user who clicked, as users.info describes them,
// and eligibility is checked on every click exactly as for the sidebar; anyone refused (an unknown or
// ineligible user, a request already decided, four eyes, a second approval by the same person) is told
// why in a message only they see (chat.postEphemeral).
import { DecisionBody, type JsonObject } from '@countersign/shared';
import type { Logger } from 'pino';
import { decisionAccess, type ApprovalService } from '../../approvals/approval-service';
import { AppError } from '../../approvals/errors';
import type { ApprovalRecord } from '../../approvals/records';
import { verifyReviewer, type ReviewerPrincipal } from '../../approvals/reviewer-identity';
import type { WorkspaceRecord } from '../../approvals/workspace-records';
import { editModal, rejectModal } from './decision-modals';
import { APPROVE_ACTION, EDIT_ACTION, REJECT_ACTION } from './request-message';
import { slackClient } from './slack-client';
import type { SlackMembers } from './slack-members';
import type { SlackLink, SlackSettings } from './slack-settings';

/** Calls made while the user waits (and views.open within the trigger's 3 s) get this long. */
const INTERACTIVE_TIMEOUT_MS = 2500;

export const BUTTON_ACTIONS = [APPROVE_ACTION, REJECT_ACTION, EDIT_ACTION] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export interface InteractionWho {
  workspace: WorkspaceRecord;
  link: SlackLink;
  userId: string;
  /** Where the interaction happened, for an answer only the user sees; null when unknown (a modal opened elsewhere). */
  channel: string | null;
}

export interface SlackInteractionDeps {
  service: ApprovalService;
  slack: SlackSettings;
  members: SlackMembers;
  log: Logger;
}

export class SlackInteractions {
  constructor(private readonly deps: SlackInteractionDeps) {}

  async click(who: InteractionWho, action: ButtonAction, approvalId: string, triggerId: string | undefined): Promise<void> {
    const session = this.session(who);
    if (!session) return;
    const principal = await session.principal();
    if (!principal) return;
    const approval = await this.approval(who, approvalId, session);
    if (!approval) return;
    const access = decisionAccess(approval, verifyReviewer(principal, undefined));
    if (!access.canDecide) return session.explain(access.reason ?? 'You cannot decide this request.');
    if (action === APPROVE_ACTION) return this.decide(who, session, approvalId, { decision: 'approve' }, principal);
    if (!triggerId) return session.explain('Slack did not send what Countersign needs to open the form; click again.');
    const view = action === REJECT_ACTION ? rejectModal(approval, who.channel) : editModal(approval, who.channel);
    await session.client.views.open({ trigger_id: triggerId, view }).catch((error: unknown) => {
      this.deps.log.warn({ err: slackError(error), approvalId }, 'slack views.open failed');
      return session.explain('Countersign could not open the form in time; click again.');
    });
  }

  async submit(who: InteractionWho, approvalId: string, decision: { decision: 'approve' | 'reject'; note?: string; modifiedDetails?: JsonObject }): Promise<void> {
    const session = this.session(who);
    if (!session) return;
    const principal = await session.principal();
    if (principal) await this.decide(who, session, approvalId, decision, principal);
  }

  private async decide(who: InteractionWho, session: Session, approvalId: string, input: { decision: 'approve' | 'reject'; note?: string; modifiedDetails?: JsonObject }, principal: ReviewerPrincipal): Promise<void> {
    const parsed = DecisionBody.safeParse(input);
    if (!parsed.success) return session.explain(`Countersign could not accept this decision: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    try {
      const decided = await this.deps.service.decide(who.workspace.id, approvalId, parsed.data, principal);
      if (decided.status === 'pending') {
        await session.explain(`Your approval is recorded: ${decided.approvals.length} of ${decided.requirement?.approvalsRequired ?? 1}. It needs another reviewer.`);
      }
    } catch (error) {
      if (error instanceof AppError) return session.explain(error.message);
      this.deps.log.error({ err: error, approvalId }, 'slack decision failed');
      return session.explain('Countersign could not record your decision just now; try again.');
    }
  }

  private async approval(who: InteractionWho, approvalId: string, session: Session): Promise<ApprovalRecord | null> {
    try {
      return await this.deps.service.get({ workspaceId: who.workspace.id }, approvalId);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await session.explain('Countersign has no such request (any more).');
      return null;
    }
  }

  /** The workspace's Slack client for this interaction, and its two ways of answering the user. */
  private session(who: InteractionWho): Session | null {
    const token = this.deps.slack.botToken(who.workspace);
    if (!token) return null;
    const apiUrl = this.deps.slack.apiUrl(who.link);
    const client = slackClient(token, { apiUrl, timeoutMs: INTERACTIVE_TIMEOUT_MS, log: this.deps.log });
    const explain = async (text: string): Promise<void> => {
      if (!who.channel) return void this.deps.log.info({ userId: who.userId, text }, 'slack user refused; no channel to tell them in');
      await client.chat.postEphemeral({ channel: who.channel, user: who.userId, text }).catch((error: unknown) => {
        this.deps.log.warn({ err: slackError(error) }, 'slack chat.postEphemeral failed');
      });
    };
    const principal = async (): Promise<ReviewerPrincipal | null> => {
      const member = await this.deps.members.resolve({ apiUrl, token, teamId: who.link.teamId, userId: who.userId, workspaceId: who.workspace.id });
      if (member.ok) return { kind: 'slack', user: member.user };
      await explain(member.reason);
      return null;
    };
    return { client, explain, principal };
  }
}

interface Session {
  client: ReturnType<typeof slackClient>;
  explain(text: string): Promise<void>;
  principal(): Promise<ReviewerPrincipal | null>;
}

/** What is safe to log of a Slack client error: its code and Slack's error name, never a token. */
function slackError(error: unknown): Record<string, unknown> {
  const coded = error as { code?: string; data?: { error?: string }; message?: string };
  return { code: coded.code ?? null, error: coded.data?.error ?? null, message: coded.message?.slice(0, 200) ?? null };
}
