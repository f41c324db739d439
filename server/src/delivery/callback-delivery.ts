// The decision callback to the automation's webhookUrl/callbackUrl: planned when its approval settles,
// signed the Standard Webhooks way with the workspace's current secret(s) when sent.
import { approvalChanges, callbackStatus, type CallbackBody, type TerminalStatus } from '@countersign/shared';
import type { ApprovalRecord } from '../approvals/records';
import { requirementView } from '../approvals/requirement-view';
import type { CallbackGuard } from '../outbound/callback-guard';
import type { Workspaces } from '../workspaces/workspaces';
import type { DeliveryKind } from './delivery-kind';
import { sendHttpDelivery } from './http-delivery';
import { newDelivery } from './new-delivery';
import { signatureHeader } from './signing';

export const CALLBACK_KIND = 'callback';

export function callbackBody(approval: ApprovalRecord): CallbackBody {
  return {
    type: 'approval.decided',
    approvalId: approval.id,
    action: approval.action,
    status: callbackStatus(approval.status as TerminalStatus),
    details: approval.details,
    modifiedDetails: approval.modifiedDetails,
    changes: approvalChanges(approval.details, approval.modifiedDetails),
    decisionNote: approval.decisionNote,
    decidedBy: approval.decidedBy,
    decidedAt: new Date(approval.decidedAt ?? approval.updatedAt).toISOString(),
    riskLevel: approval.riskLevel,
    context: approval.context,
    policy: requirementView(approval),
    approvals: approval.approvals.map((vote) => ({ reviewer: vote.reviewer, at: new Date(vote.at).toISOString() })),
  };
}

export function callbackDelivery(deps: { workspaces: Workspaces; guard: CallbackGuard; timeoutMs: number }): DeliveryKind {
  return {
    name: CALLBACK_KIND,
    plan({ transition, approval }) {
      if (transition !== 'settled' || !approval.callbackUrl) return [];
      return [newDelivery(approval, CALLBACK_KIND, approval.callbackUrl, JSON.stringify(callbackBody(approval)))];
    },
    send(delivery, workspace) {
      const timestamp = Math.floor(Date.now() / 1000);
      return sendHttpDelivery(delivery, {
        guard: deps.guard,
        timeoutMs: deps.timeoutMs,
        headers: {
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(deps.workspaces.callbackSecrets(workspace), delivery.id, timestamp, delivery.body),
        },
        // 410 Gone is the receiver saying "stop": Standard Webhooks treats it as final.
        permanent: (status) => status === 410,
      });
    },
  };
}
