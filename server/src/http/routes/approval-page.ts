// GET /approvals/{id}/view?t=…: one request in full, read-only, for canvases and notes that had to
// shorten it. The link carries a signed, expiring token naming the workspace and the approval, so it
// opens without a key and cannot be altered to show another request.
import { Router } from 'express';
import { approvalChanges, withoutBidiControls } from '@countersign/shared';
import type { ApprovalService } from '../../approvals/approval-service';
import { approvalNotFound } from '../../approvals/errors';
import type { SignedTokens } from '../../secrets/signed-token';
import type { ApprovalRecord } from '../../approvals/records';
import { escapeHtml, htmlPage } from '../html-page';

/** Untrusted text as it is shown here: no bidi controls (they could make one address read as another), then escaped. */
const shown = (text: string) => escapeHtml(withoutBidiControls(text));
const json = (value: unknown) => shown(JSON.stringify(value, null, 2) ?? 'null');

export const APPROVAL_LINK_TTL_MS = 7 * 24 * 3600 * 1000;

export function approvalLink(tokens: SignedTokens, publicUrl: string, workspaceId: string, approvalId: string, now = Date.now()): string {
  return `${publicUrl}/approvals/${encodeURIComponent(approvalId)}/view?t=${tokens.sign(`${workspaceId}:${approvalId}`, now + APPROVAL_LINK_TTL_MS)}`;
}

export function approvalPageRoutes(deps: { service: ApprovalService; linkTokens: SignedTokens }): Router {
  const router = Router();
  router.get('/approvals/:id/view', async (req, res) => {
    const id = String(req.params.id);
    const payload = deps.linkTokens.verify(typeof req.query.t === 'string' ? req.query.t : undefined);
    const [workspaceId, approvalId] = payload?.split(':') ?? [];
    if (!workspaceId || approvalId !== id) throw approvalNotFound();
    const approval = await deps.service.get({ workspaceId }, approvalId);
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(htmlPage(withoutBidiControls(`${approval.action} — Countersign`), approvalBody(approval)));
  });
  return router;
}

function approvalBody(a: ApprovalRecord): string {
  const row = (label: string, value: string | null | undefined) => (value ? `<dt>${escapeHtml(label)}</dt><dd>${shown(value)}</dd>` : '');
  return `<h1>${shown(a.action)} <small>(${escapeHtml(a.status)})</small></h1>
<p>${shown(a.summary)}</p>
<dl>${row('Risk', a.riskLevel)}${row('Justification', a.justification)}${row('Requested by', a.agentName)}${row('Created', new Date(a.createdAt).toISOString())}${row('Expires', new Date(a.expiresAt).toISOString())}${row('Decided by', a.decidedBy?.name)}${row('Note', a.decisionNote)}</dl>
<h2>Details</h2><pre>${json(a.details)}</pre>
${a.modifiedDetails ? `${changesList(a)}<h2>Approved with these details</h2><pre>${json(a.modifiedDetails)}</pre>` : ''}`;
}

function changesList(a: ApprovalRecord): string {
  const items = approvalChanges(a.details, a.modifiedDetails).map((change) => {
    const from = 'from' in change ? json(change.from) : '(none)';
    const to = 'to' in change ? json(change.to) : '(removed)';
    return `<li><code>${shown(change.path)}</code>: ${from} → ${to}</li>`;
  });
  return `<h2>Changed before approval</h2><ul>${items.join('')}</ul>`;
}
