// Holding an intake response open until the approval is decided, within the caller's budget.
import type { Request, Response } from 'express';
import { AppError } from '../errors';
import type { SettlementWaiters } from '../approvals/settlement-waiters';
import type { ApprovalRecord, Store } from '../store/port';

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

export async function awaitSettlement(
  deps: { store: Store; waiters: SettlementWaiters },
  approval: ApprovalRecord,
  waitMs: number,
  res: Response,
): Promise<ApprovalRecord> {
  if (waitMs <= 0 || approval.status !== 'pending') return approval;
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const settled = deps.waiters.wait(approval.id, waitMs, gone.signal);
  // Registered first, then re-read: a decision that landed in between is not missed.
  const current = await reload(deps.store, approval);
  if (current.status !== 'pending') {
    gone.abort();
    return current;
  }
  await settled;
  return reload(deps.store, approval);
}

async function reload(store: Store, approval: ApprovalRecord): Promise<ApprovalRecord> {
  const current = await store.getApproval(approval.workspaceId, approval.id);
  if (!current) throw new AppError('not_found', 'approval_not_found', 'The approval disappeared while waiting.');
  return current;
}
