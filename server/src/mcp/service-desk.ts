// The desk of POST /mcp: inside the server, as the intake key that authenticated the request, with the
// rules intake applies (the Zendesk signature a workspace may require, the wait cap, own requests only).
import type { Response } from 'express';
import { IntakeBody } from '@countersign/shared';
import type { ApprovalService } from '../approvals/approval-service';
import { approvalNotFound } from '../approvals/errors';
import { isApprovalId } from '../approvals/ids';
import type { Store } from '../approvals/ports';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { ApiKeyRecord, WorkspaceRecord } from '../approvals/workspace-records';
import { approvalView } from '../http/approval-view';
import type { IntakeVerifier } from '../http/intake-verification';
import { awaitSettlement } from '../http/sync-wait';
import { validate } from '../http/validate';
import type { ApprovalDesk } from './approval-desk';

export interface ServiceDeskDeps {
  store: Store;
  service: ApprovalService;
  waiters: SettlementWaiters;
  intakeVerifier: IntakeVerifier;
  maxWaitMs: number;
}

export interface DeskCaller {
  workspace: WorkspaceRecord;
  key: ApiKeyRecord;
  /** The HTTP answer the tool call rides on: a wait ends when its connection closes. */
  res: Response;
}

export function serviceDesk(deps: ServiceDeskDeps, caller: DeskCaller): ApprovalDesk {
  const { workspace, key, res } = caller;
  return {
    async request(input, waitMs) {
      const body = validate(IntakeBody, input);
      // An MCP call carries no platform signature: a workspace that takes only Zendesk-signed intake
      // refuses it here as intake does.
      await deps.intakeVerifier.verify(workspace, { header: () => undefined, rawBody: Buffer.from(JSON.stringify(input)) });
      const { approval } = await deps.service.create({ workspace, keyId: key.id }, body, null);
      const budget = Math.min(waitMs, deps.maxWaitMs);
      if (budget <= 0 || approval.status !== 'pending') return approvalView(approval);
      return approvalView(await awaitSettlement(deps, workspace.id, approval.id, budget, res));
    },
    async get(approvalId) {
      if (!isApprovalId(approvalId)) throw approvalNotFound();
      return approvalView(await deps.service.get({ workspaceId: workspace.id, key }, approvalId));
    },
  };
}
