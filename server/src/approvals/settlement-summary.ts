// A plain-language account of how a request ended, for the notes written back to a ticket or a
// conversation: what was asked, who decided what and when, the note, and which details changed.
// Everything repeated from the request is shown without bidi controls, as on every other screen.
import { approvalChanges, withoutBidiControls, type DetailChange } from '@countersign/shared';
import type { ApprovalRecord } from './records';

const MAX_VALUE_CHARS = 200;
/** A note stays readable (and far below the platforms' comment limits) however much was changed. */
const MAX_CHANGE_LINES = 50;
const CHANNEL: Record<string, string> = { zendesk: 'Zendesk', intercom: 'Intercom', api: 'the API', slack: 'Slack' };

export interface NoteSummary {
  headline: string;
  lines: string[];
}

export function settlementSummary(approval: ApprovalRecord): NoteSummary {
  const when = utcStamp(approval.decidedAt ?? approval.updatedAt);
  const lines: string[] = [];
  const by = approval.decidedBy;
  if (approval.status === 'approved' || approval.status === 'rejected') {
    const verb = approval.status === 'approved' ? 'Approved' : 'Rejected';
    if (by?.via === 'policy') lines.push(`${verb} automatically by the workspace's policy (rule "${by.id}") on ${when}.`);
    else lines.push(`${verb} by ${deciders(approval)} on ${when}.`);
    if (approval.decisionNote) lines.push(`Note: ${approval.decisionNote}`);
  } else if (approval.status === 'expired') {
    lines.push(`Expired on ${when} without a decision; the action must not run.`);
  } else if (approval.status === 'cancelled') {
    lines.push(`Withdrawn by the requester on ${when}.${approval.decisionNote ? ` Reason: ${approval.decisionNote}` : ''}`);
  }
  const changes = approvalChanges(approval.details, approval.modifiedDetails);
  if (changes.length > 0) {
    lines.push('Changed before approval:');
    for (const change of changes.slice(0, MAX_CHANGE_LINES)) lines.push(changeLine(change));
    if (changes.length > MAX_CHANGE_LINES) lines.push(`- … and ${changes.length - MAX_CHANGE_LINES} more`);
  }
  lines.push(`Request: ${approval.summary} (${approval.id})`);
  return { headline: withoutBidiControls(`Countersign: "${approval.action}" ${approval.status}`), lines: lines.map(withoutBidiControls) };
}

/** Everyone whose approval counted (a quorum names them all), else the one who decided. */
function deciders(approval: ApprovalRecord): string {
  const people = approval.status === 'approved' && approval.approvals.length > 1 ? approval.approvals.map((vote) => vote.reviewer) : approval.decidedBy ? [approval.decidedBy] : [];
  if (people.length === 0) return 'a reviewer';
  return people.map((by) => `${by.name}${by.email ? ` (${by.email})` : ''} via ${CHANNEL[by.via] ?? by.via}`).join(' and ');
}

function changeLine(change: DetailChange): string {
  const from = 'from' in change ? shownValue(change.from) : '(none)';
  const to = 'to' in change ? shownValue(change.to) : '(removed)';
  return `- ${change.path}: ${from} → ${to}`;
}

/** A time as notes show it: minutes, in UTC (the platforms show the note's own time in the reader's zone). */
export function utcStamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}

/** A detail's value as JSON, shortened. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}
