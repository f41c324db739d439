// The Slack messages about one request, in Block Kit: the request as reviewers first see it (summary,
// risk, action, key details, justification, requester, expiry, links, and the Approve / Reject / Edit
// buttons whose value is the approval id), the same request once it has ended (no buttons), the
// reminder in its thread, and its escalation to another channel.
import { approvalChanges } from '@countersign/shared';
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/web-api';
import type { ApprovalRecord } from '../../approvals/records';
import { detailText, escaped, plain, shortened, slackDate } from './block-text';

export const APPROVE_ACTION = 'countersign_approve';
export const REJECT_ACTION = 'countersign_reject';
export const EDIT_ACTION = 'countersign_edit';
export const ACTIONS_BLOCK = 'countersign_actions';

/** Where a reviewer can see more: the ticket or conversation, and Countersign's own page of the request. */
export interface RequestLinks {
  context: { label: string; url: string } | null;
  page: string | null;
}

export interface SlackMessage {
  /** The notification text, and what clients without Block Kit show. */
  text: string;
  blocks: KnownBlock[];
}

const RISK_LABELS: Record<string, string> = { low: '🟢 Low', medium: '🟡 Medium', high: '🟠 High', critical: '🔴 Critical' };
const SHOWN_DETAILS = 8;
const DETAIL_CHARS = 300;
const FIELD_CHARS = 1900;
const TEXT_CHARS = 2900;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,31}$/;
const STATUS_HEADLINES: Record<string, string> = { approved: '✅ Approved', rejected: '⛔ Rejected', expired: '⌛ Expired', cancelled: '↩️ Withdrawn' };

export function requestMessage(approval: ApprovalRecord, links: RequestLinks, banner?: string): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Approval needed: ${approval.action}`, 150) },
    ...(banner ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: escaped(banner, 2000) }] } satisfies ContextBlock] : []),
    ...requestBody(approval, links),
    actionButtons(approval),
  ];
  return { text: shortened(`Approval needed: ${approval.action} — ${approval.summary}`, 3000), blocks };
}

/** The request after it ended: what was asked, and who decided what (or that it expired or was withdrawn). */
export function settledMessage(approval: ApprovalRecord, links: RequestLinks): SlackMessage {
  const headline = STATUS_HEADLINES[approval.status] ?? approval.status;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`${headline}: ${approval.action}`, 150) },
    { type: 'section', text: { type: 'mrkdwn', text: outcome(approval) } },
    ...requestBody(approval, links),
  ];
  return { text: shortened(`${headline}: ${approval.action} — ${approval.summary}`, 3000), blocks };
}

/** The request while its quorum is short: who has approved so far and how many more are needed; the buttons stay. */
export function votedMessage(approval: ApprovalRecord, links: RequestLinks): SlackMessage {
  const required = approval.requirement?.approvalsRequired ?? 1;
  const left = Math.max(1, required - approval.approvals.length);
  const who = approval.approvals.map((vote) => vote.reviewer.name).join(', ');
  return requestMessage(approval, links, `Approved so far by ${who}: ${left} more approval${left === 1 ? '' : 's'} by someone else needed.`);
}

export function reminderMessage(approval: ApprovalRecord, now: number): SlackMessage {
  const waited = Math.max(1, Math.round((now - approval.createdAt) / 60_000));
  const text = `⏰ Still waiting for a decision after ${waited} min. It expires ${slackDate(approval.expiresAt)}.`;
  return { text: shortened(`Reminder: "${approval.action}" is still waiting for a decision.`, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function escalationMessage(approval: ApprovalRecord, links: RequestLinks, now: number): SlackMessage {
  const waited = Math.max(1, Math.round((now - approval.createdAt) / 60_000));
  const message = requestMessage(approval, links, `Escalated: nobody has decided this request in ${waited} min.`);
  return { ...message, text: shortened(`Escalated: ${approval.action} — ${approval.summary}`, 3000) };
}

function requestBody(approval: ApprovalRecord, links: RequestLinks): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${escaped(approval.summary, TEXT_CHARS)}*` } }, factsSection(approval)];
  if (approval.justification) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Justification*\n${escaped(approval.justification, TEXT_CHARS)}` } });
  blocks.push(...detailSections(approval));
  const context = contextLine(approval, links);
  if (context) blocks.push(context);
  return blocks;
}

function factsSection(approval: ApprovalRecord): SectionBlock {
  const requester = [approval.agentName, approval.requestedBy?.email ?? approval.requestedBy?.id].filter(Boolean).join(' for ') || 'an automation';
  const required = approval.requirement?.approvalsRequired ?? 1;
  const fields = [
    `*Risk*\n${RISK_LABELS[approval.riskLevel] ?? approval.riskLevel}`,
    `*Action*\n\`${escaped(approval.action, 200).replace(/`/g, "'")}\``,
    `*Requested by*\n${escaped(requester, 300)}`,
    `*Expires*\n${slackDate(approval.expiresAt)}`,
  ];
  if (required > 1) fields.push(`*Approvals*\n${approval.approvals.length} of ${required}`);
  return { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) };
}

/** The first details as `key: value` fields (the effective ones, after any approved edit). */
function detailSections(approval: ApprovalRecord): KnownBlock[] {
  const details = approval.modifiedDetails ?? approval.details;
  const keys = Object.keys(details);
  if (keys.length === 0) return [];
  const fields = keys.slice(0, SHOWN_DETAILS).map((key) => ({ type: 'mrkdwn' as const, text: `*${escaped(key, 100)}*\n${escaped(detailText(details[key]), DETAIL_CHARS)}` }));
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '*Details*' }, fields }];
  if (keys.length > SHOWN_DETAILS) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${keys.length - SHOWN_DETAILS} more; the full request is on its page.` }] });
  return blocks;
}

function contextLine(approval: ApprovalRecord, links: RequestLinks): ContextBlock {
  const parts = [`\`${approval.id}\``];
  if (links.context) parts.push(`<${linkTarget(links.context.url)}|${escaped(links.context.label, 100)}>`);
  if (links.page) parts.push(`<${linkTarget(links.page)}|Full request>`);
  if (approval.requirement?.ruleId) parts.push(`rule \`${escaped(approval.requirement.ruleId, 64)}\``);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: parts.join(' · ') }] };
}

/** A URL inside <url|label>: the characters that would end it early are percent-encoded. */
function linkTarget(url: string): string {
  return url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
}

function actionButtons(approval: ApprovalRecord): ActionsBlock {
  const button = (actionId: string, text: string, style?: 'primary' | 'danger'): Button => ({ type: 'button', action_id: actionId, text: plain(text, 75), value: approval.id, ...(style ? { style } : {}) });
  return {
    type: 'actions',
    block_id: ACTIONS_BLOCK,
    elements: [button(APPROVE_ACTION, 'Approve', 'primary'), button(REJECT_ACTION, 'Reject…', 'danger'), button(EDIT_ACTION, 'Edit…')],
  };
}

function outcome(approval: ApprovalRecord): string {
  const when = slackDate(approval.decidedAt ?? approval.updatedAt);
  const by = approval.decidedBy;
  const lines: string[] = [];
  if (approval.status === 'approved' || approval.status === 'rejected') {
    const verb = approval.status === 'approved' ? 'Approved' : 'Rejected';
    const who = by?.via === 'policy' ? 'the workspace\'s policy' : deciders(approval);
    lines.push(`${verb} by ${who} ${when}.`);
    if (approval.decisionNote) lines.push(`> ${escaped(approval.decisionNote, 1000).replace(/\n/g, '\n> ')}`);
  } else if (approval.status === 'expired') {
    lines.push(`Expired ${when} without a decision; the action must not run.`);
  } else if (approval.status === 'cancelled') {
    lines.push(`Withdrawn by the requester ${when}.`);
  }
  const changes = approvalChanges(approval.details, approval.modifiedDetails);
  if (changes.length > 0) lines.push(`Changed before approval: ${changes.slice(0, 5).map((c) => `\`${escaped(c.path, 100).replace(/`/g, "'")}\``).join(', ')}${changes.length > 5 ? ` and ${changes.length - 5} more` : ''}.`);
  return shortened(lines.join('\n'), FIELD_CHARS);
}

function deciders(approval: ApprovalRecord): string {
  const people = approval.status === 'approved' && approval.approvals.length > 1 ? approval.approvals.map((vote) => vote.reviewer) : approval.decidedBy ? [approval.decidedBy] : [];
  if (people.length === 0) return 'a reviewer';
  return people.map((person) => (person.via === 'slack' && SLACK_USER_ID.test(person.id) ? `<@${person.id}>` : `*${escaped(person.name, 100)}*`)).join(' and ');
}
