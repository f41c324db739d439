// An in-memory CanvasBackend: one connected Intercom workspace, approvals by workspace, decisions with
// the server's compare-and-set semantics (the first decision wins, later ones see a conflict) and its
// rules: teammates in `notEligible` are refused, a request's policy.approvalsRequired approvals by
// distinct teammates settle it (before that it stays pending), the same teammate twice is refused, and
// reads for a teammate say whether they may decide (canDecide, cannotDecideReason, cannotDecideCode).
import { applyMergePatch, approvalChanges, sameJson, type ApprovalView, type DecisionInput } from '@countersign/shared';
import type { CanvasBackend, CanvasDecisionResult, CanvasReviewer } from '@countersign/intercom-canvas';

/** The teammate as decidedBy and approvals record them. */
function voter(reviewer: CanvasReviewer): ApprovalView['approvals'][number]['reviewer'] {
  return { id: String(reviewer.id), name: reviewer.name, ...(reviewer.email ? { email: reviewer.email } : {}), via: reviewer.via };
}

export class FakeCanvasBackend implements CanvasBackend {
  readonly decisions: Array<{ workspaceId: string; approvalId: string; input: DecisionInput }> = [];
  readonly approvals = new Map<string, ApprovalView>();
  /** Set to make every call fail, as a broken store would. */
  failWith: Error | null = null;
  /** A decision made elsewhere (e.g. the Zendesk app) that lands just before the next inbox decision. */
  decidedElsewhereFirst: DecisionInput | null = null;
  /** Teammate ids the requests' rules do not name, with the reason Countersign gives. */
  readonly notEligible = new Map<string, string>();

  constructor(
    readonly workspaces: Record<string, string> = { ic_workspace_1: 'ws_acme' },
    readonly linkBase: string | null = 'https://countersign.test/approvals',
  ) {}

  add(workspaceId: string, ...approvals: ApprovalView[]): void {
    for (const approval of approvals) this.approvals.set(`${workspaceId}/${approval.approvalId}`, approval);
  }

  async workspaceFor(intercomWorkspaceId: string): Promise<string | null> {
    this.failIfAsked();
    return this.workspaces[intercomWorkspaceId] ?? null;
  }

  async listForConversation(workspaceId: string, conversationId: string): Promise<ApprovalView[]> {
    this.failIfAsked();
    return [...this.approvals.entries()]
      .filter(([key, approval]) => key.startsWith(`${workspaceId}/`) && approval.context?.platform === 'intercom' && approval.context.conversationId === conversationId)
      .map(([, approval]) => approval)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async get(workspaceId: string, approvalId: string, reviewer?: CanvasReviewer): Promise<ApprovalView | null> {
    this.failIfAsked();
    const approval = this.approvals.get(`${workspaceId}/${approvalId}`) ?? null;
    return approval && reviewer ? this.asSeenBy(approval, reviewer) : approval;
  }

  async decide(workspaceId: string, approvalId: string, decision: Omit<DecisionInput, 'reviewer'>, reviewer: CanvasReviewer): Promise<CanvasDecisionResult> {
    this.failIfAsked();
    const elsewhere = this.decidedElsewhereFirst;
    this.decidedElsewhereFirst = null;
    if (elsewhere) await this.decide(workspaceId, approvalId, elsewhere, elsewhere.reviewer as CanvasReviewer);
    // Recorded as one decision with its reviewer, as the canvas router's tests read it.
    const input = { ...decision, reviewer: reviewer as NonNullable<DecisionInput['reviewer']> };
    const current = this.approvals.get(`${workspaceId}/${approvalId}`);
    if (!current) throw new Error(`no approval ${approvalId} in ${workspaceId}`);
    this.decisions.push({ workspaceId, approvalId, input });
    if (current.status !== 'pending') return { approval: current, conflict: true, refusal: null };
    const refusal = this.notEligible.get(reviewer.id);
    if (refusal) return { approval: this.asSeenBy(current, reviewer), conflict: false, refusal };
    // As Countersign does: modifiedDetails is a merge patch; the answer carries the complete object.
    const patched = input.decision === 'approve' && input.modifiedDetails ? applyMergePatch(current.details, input.modifiedDetails) : null;
    const modifiedDetails = patched && !sameJson(patched, current.details) ? patched : null;
    const counted = input.decision === 'approve' ? this.countApproval(workspaceId, current, reviewer, modifiedDetails) : null;
    if (counted) return counted;
    const decided: ApprovalView = {
      ...current,
      status: input.decision === 'approve' ? 'approved' : 'rejected',
      modifiedDetails,
      changes: approvalChanges(current.details, modifiedDetails),
      decisionNote: input.note ?? null,
      decidedBy: { id: String(input.reviewer.id), name: input.reviewer.name, ...(input.reviewer.email ? { email: input.reviewer.email } : {}), via: input.reviewer.via },
      decidedAt: '2026-11-23T19:05:00.000Z',
      ...(input.decision === 'approve' ? { approvals: [...(modifiedDetails ? [] : current.approvals), { reviewer: voter(reviewer), at: '2026-11-23T19:05:00.000Z' }] } : {}),
    };
    this.approvals.set(`${workspaceId}/${approvalId}`, decided);
    return { approval: decided, conflict: false, refusal: null };
  }

  /** An approval that does not settle (still pending), or the same teammate twice; null when it settles. */
  private countApproval(workspaceId: string, current: ApprovalView, reviewer: CanvasReviewer, modifiedDetails: ApprovalView['modifiedDetails']): CanvasDecisionResult | null {
    if (!modifiedDetails && current.approvals.some((vote) => vote.reviewer.via === 'intercom' && vote.reviewer.id === reviewer.id)) {
      return { approval: this.asSeenBy(current, reviewer), conflict: false, refusal: `${reviewer.name} has already approved this request; it needs another reviewer.` };
    }
    const approvals = [...(modifiedDetails ? [] : current.approvals), { reviewer: voter(reviewer), at: '2026-11-23T19:05:00.000Z' }];
    if (approvals.length >= (current.policy?.approvalsRequired ?? 1)) return null;
    const recorded: ApprovalView = { ...current, approvals, modifiedDetails, changes: approvalChanges(current.details, modifiedDetails) };
    this.approvals.set(`${workspaceId}/${current.approvalId}`, recorded);
    return { approval: this.asSeenBy(recorded, reviewer), conflict: false, refusal: null };
  }

  /** The approval with whether this teammate may decide it now, as Countersign's reads for a reviewer say. */
  private asSeenBy(approval: ApprovalView, reviewer: CanvasReviewer): ApprovalView {
    if (approval.status !== 'pending') return { ...approval, canDecide: false, cannotDecideReason: `It is already ${approval.status}.`, cannotDecideCode: 'not_pending' };
    const refusal = this.notEligible.get(reviewer.id);
    if (refusal) return { ...approval, canDecide: false, cannotDecideReason: refusal, cannotDecideCode: 'reviewer_not_eligible' };
    if (approval.approvals.some((vote) => vote.reviewer.via === 'intercom' && vote.reviewer.id === reviewer.id)) {
      return { ...approval, canDecide: false, cannotDecideReason: 'Your approval is recorded; more approvals from other reviewers must follow.', cannotDecideCode: 'already_approved' };
    }
    return { ...approval, canDecide: true, cannotDecideReason: null, cannotDecideCode: null };
  }

  approvalLink(workspaceId: string, approvalId: string): string | null {
    return this.linkBase ? `${this.linkBase}/${encodeURIComponent(approvalId)}/view?t=${workspaceId}` : null;
  }

  private failIfAsked(): void {
    if (this.failWith) throw this.failWith;
  }
}
