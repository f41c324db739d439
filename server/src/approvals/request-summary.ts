// A plain-language account of a request that waits for a human, for the internal note a workspace may
// ask for when a request is created (so the ticket's or conversation's assignee is notified by the
// platform itself): what is asked, how risky, by whom, until when, and where to decide.
import { withoutBidiControls } from '@countersign/shared';
import type { ApprovalRecord } from './records';
import { shownValue, utcStamp, type NoteSummary } from './settlement-summary';

/** Enough details to recognise the request; the sidebar shows them all. */
const SHOWN_DETAILS = 12;

export function requestSummary(approval: ApprovalRecord, whereToDecide: string): NoteSummary {
  const lines = [approval.summary, `Risk: ${approval.riskLevel}. Expires ${utcStamp(approval.expiresAt)} unless decided.`];
  const requester = [approval.agentName, approval.requestedBy?.email ?? approval.requestedBy?.id].filter(Boolean).join(' for ');
  if (requester) lines.push(`Requested by ${requester}.`);
  if (approval.justification) lines.push(`Justification: ${approval.justification}`);
  const keys = Object.keys(approval.details);
  if (keys.length > 0) {
    lines.push('Details:');
    for (const key of keys.slice(0, SHOWN_DETAILS)) lines.push(`- ${key}: ${shownValue(approval.details[key])}`);
    if (keys.length > SHOWN_DETAILS) lines.push(`- … and ${keys.length - SHOWN_DETAILS} more`);
  }
  const required = approval.requirement?.approvalsRequired ?? 1;
  if (required > 1) lines.push(`Needs ${required} approvals from different reviewers.`);
  lines.push(`${whereToDecide} Request: ${approval.id}`);
  return { headline: withoutBidiControls(`Countersign: approval needed for "${approval.action}"`), lines: lines.map(withoutBidiControls) };
}
