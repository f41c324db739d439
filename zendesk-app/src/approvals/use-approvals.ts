// The sidebar's state: this ticket's approvals, the decision being sent for each, and the latest
// notice. Every call to Countersign goes through here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { approvalNeeds, type ApprovalView, type CountersignClient, type JsonObject, type Reviewer } from '@countersign/shared';
import { classifyFailure, type Failure } from './failure';
import type { Notice, NoticeFacts, SuccessOutcome } from './notice';
import { singleFlight } from './single-flight';

export const LIST_LIMIT = 50;

export interface DecisionChoice {
  decision: 'approve' | 'reject';
  note?: string;
  /** A merge patch of the agent's edits (only what changed), as the API takes it. */
  modifiedDetails?: JsonObject;
}

export interface ApprovalsModel {
  /** null until the first list arrives. */
  approvals: ApprovalView[] | null;
  notice: Notice | null;
  deciding: ReadonlySet<string>;
  refresh: () => Promise<void>;
  /** Resolves true when the agent is done with it: decided (by us or someone else), or our approval counted. */
  decide: (approval: ApprovalView, choice: DecisionChoice) => Promise<boolean>;
  dismissNotice: () => void;
  /** Puts an approval the live stream sent in place (or adds it, when new and this ticket's). */
  upsert: (approval: ApprovalView) => void;
}

/**
 * `reviewer`: whom Zendesk confirmed the agent to be (null before they confirm); decisions never name
 * them, Countersign takes them from the session. `onUnverified`: a decision found the session missing
 * or over, so the agent must confirm again.
 */
export function useApprovals(api: CountersignClient, ticketId: string, reviewer: Reviewer | null, onUnverified: () => void = () => undefined): ApprovalsModel {
  const [approvals, setApprovals] = useState<ApprovalView[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [deciding, setDeciding] = useState<ReadonlySet<string>>(new Set());
  const decidingNow = useRef(new Set<string>()); // read synchronously, so a double click cannot slip through
  const noticeCount = useRef(0);
  const mounted = useRef(true);
  /** Stream updates that arrive while a list is on its way: the list may predate them. */
  const streamedDuringList = useRef<ApprovalView[] | null>(null);

  const post = useCallback((facts: NoticeFacts, origin: Notice['origin']) => {
    if (mounted.current) setNotice({ ...facts, id: ++noticeCount.current, origin });
  }, []);

  const refresh = useMemo(
    () =>
      singleFlight(async () => {
        streamedDuringList.current = [];
        try {
          const page = await api.listApprovals({ ticketId, limit: LIST_LIMIT });
          if (!mounted.current) return;
          const newer = streamedDuringList.current;
          setApprovals(newer.reduce(upsertInto, page.items));
          setNotice((current) => (current?.origin === 'list' ? null : current));
        } catch (error) {
          post(failureNotice(classifyFailure(error), () => void refresh()), 'list');
        } finally {
          streamedDuringList.current = null;
        }
      }),
    [api, ticketId, post],
  );

  const replace = useCallback((updated: ApprovalView) => {
    setApprovals((list) => list?.map((item) => (item.approvalId === updated.approvalId ? updated : item)) ?? list);
  }, []);

  const upsert = useCallback(
    (approval: ApprovalView) => {
      if (approval.context?.platform !== 'zendesk' || approval.context.ticketId !== ticketId) return;
      streamedDuringList.current?.push(approval);
      setApprovals((list) => (list ? upsertInto(list, approval) : list));
    },
    [ticketId],
  );

  const markDeciding = useCallback((approvalId: string, busy: boolean) => {
    if (busy) decidingNow.current.add(approvalId);
    else decidingNow.current.delete(approvalId);
    if (mounted.current) setDeciding(new Set(decidingNow.current));
  }, []);

  const decide = useCallback(
    async (approval: ApprovalView, choice: DecisionChoice): Promise<boolean> => {
      if (decidingNow.current.has(approval.approvalId)) return false;
      markDeciding(approval.approvalId, true);
      try {
        const updated = await api.decide(approval.approvalId, choice);
        replace(updated);
        // 200 with the request still pending: a quorum counted this approval and waits for more.
        post(updated.status === 'pending' ? { kind: 'recorded', remaining: remainingOf(updated) } : successNotice(approval, choice), 'decision');
        void refresh();
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'unverified') {
          // Not a failure to report: the sign-in banner asks the agent to confirm, then they decide again.
          onUnverified();
          return false;
        }
        if ((failure.kind === 'conflict' || failure.kind === 'alreadyApproved') && failure.approval) replace(failure.approval);
        const settled = failure.kind === 'conflict' && alreadyDecidedAsChosen(failure.approval, reviewer, choice);
        post(settled ? successNotice(approval, choice) : failureNotice(failure, () => void decide(approval, choice)), 'decision');
        // Without an answer a refresh would only fail too and bury the decision's own Retry.
        if (failure.kind !== 'unreachable' && failure.kind !== 'unauthorized') void refresh();
        return failure.kind === 'conflict' || failure.kind === 'alreadyApproved';
      } finally {
        markDeciding(approval.approvalId, false);
      }
    },
    [api, reviewer, refresh, replace, post, markDeciding, onUnverified],
  );

  useEffect(() => {
    mounted.current = true;
    void refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);

  const dismissNotice = useCallback(() => setNotice(null), []);
  return { approvals, notice, deciding, refresh, decide, dismissNotice, upsert };
}

/** The list with `approval` replacing its earlier state, or first when it is new (the list is newest first). */
function upsertInto(list: ApprovalView[], approval: ApprovalView): ApprovalView[] {
  const index = list.findIndex((item) => item.approvalId === approval.approvalId);
  if (index < 0) return [approval, ...list];
  return list.map((item, at) => (at === index ? approval : item));
}

/** What the agent is told of a failure (the queue shows list failures the same way). */
export function failureNotice(failure: Failure, retry: () => void): NoticeFacts {
  if (failure.kind === 'unreachable' || failure.kind === 'busy') return { kind: failure.kind, retry };
  if (failure.kind === 'alreadyApproved') return { kind: 'alreadyApproved', remaining: failure.approval ? remainingOf(failure.approval) : 1 };
  // Only decisions meet it (reading needs no session); a list answers it like a refused key.
  if (failure.kind === 'unverified') return { kind: 'unauthorized' };
  return failure;
}

/** Approvals still missing from a pending request (at least one: it is still pending). */
function remainingOf(approval: ApprovalView): number {
  return Math.max(1, approvalNeeds(approval).remaining);
}

function successNotice(approval: ApprovalView, choice: DecisionChoice): NoticeFacts {
  return { kind: 'success', outcome: outcomeOf(choice), action: approval.action };
}

function outcomeOf(choice: DecisionChoice): SuccessOutcome {
  if (choice.decision === 'reject') return 'rejected';
  return choice.modifiedDetails ? 'approvedWithChanges' : 'approved';
}

/** A 409 for our own earlier attempt (a retry after a lost answer) is a success, not someone else's decision. */
function alreadyDecidedAsChosen(approval: ApprovalView | null, reviewer: Reviewer | null, choice: DecisionChoice): boolean {
  if (!approval?.decidedBy || !reviewer) return false;
  const expected = choice.decision === 'approve' ? 'approved' : 'rejected';
  return approval.decidedBy.id === reviewer.id && approval.decidedBy.via === reviewer.via && approval.status === expected;
}
