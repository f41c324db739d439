// Holding an intake response open until the approval is decided, within the caller's budget.
import type { Request, Response } from 'express';
import { AppError } from '../approvals/errors';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { ApprovalRecord } from '../approvals/records';
import type { Store } from '../approvals/ports';

/** RFC 7240 `Prefer: wait=N` (seconds), possibly alongside other preferences. */
export function preferredWaitMs(header: string | undefined): number | null {
  if (!header) return null;
  const match = /(?:^|[\s,;])wait\s*=\s*"?(\d{1,7})"?(?=$|[\s,;])/i.exec(header);
  return match ? Number(match[1]) * 1000 : null;
}

/** How long to hold the response: maxWaitMs wins over Prefer, and both are capped. */
export function waitBudgetMs(maxWaitMs: number | null | undefined, req: Request, capMs: number): { ms: number; fromPrefer: boolean } {
  if (maxWaitMs !== null && maxWaitMs !== undefined) return { ms: Math.min(maxWaitMs, capMs), fromPrefer: false };
  const preferred = preferredWaitMs(req.get('prefer'));
  return preferred === null ? { ms: 0, fromPrefer: false } : { ms: Math.min(preferred, capMs), fromPrefer: true };
}

/**
 * The approval once it settles or the wait ends, whichever comes first. Takes ids, not the record:
 * thousands of requests may be held at once, and each should keep as little alive as it can.
 */
export async function awaitSettlement(
  deps: { store: Store; waiters: SettlementWaiters },
  workspaceId: string,
  approvalId: string,
  waitMs: number,
  res: Response,
): Promise<ApprovalRecord> {
  const waiter = deps.waiters.wait(approvalId, waitMs);
  res.once('close', waiter.cancel);
  // Registered first, then re-read: a decision that landed in between is not missed. Only a settled
  // record is kept; a pending one is not held through the wait.
  const settled = await settledRecord(deps.store, workspaceId, approvalId);
  if (settled) {
    waiter.cancel();
    return settled;
  }
  await waiter.settled;
  return reload(deps.store, workspaceId, approvalId);
}

async function settledRecord(store: Store, workspaceId: string, approvalId: string): Promise<ApprovalRecord | null> {
  const current = await reload(store, workspaceId, approvalId);
  return current.status === 'pending' ? null : current;
}

async function reload(store: Store, workspaceId: string, approvalId: string): Promise<ApprovalRecord> {
  const current = await store.approvals.get(workspaceId, approvalId);
  if (!current) throw new AppError('not_found', 'approval_not_found', 'The approval disappeared while waiting.');
  return current;
}
