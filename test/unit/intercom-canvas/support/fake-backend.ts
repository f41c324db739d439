// An in-memory CanvasBackend: one connected Intercom workspace, approvals by workspace, decisions with
// the server's compare-and-set semantics (the first decision wins, later ones see a conflict).
import { applyMergePatch, approvalChanges, sameJson, type ApprovalView, type DecisionInput } from '@countersign/shared';
import type { CanvasBackend, CanvasDecisionResult, CanvasReviewer } from '@countersign/intercom-canvas';

export class FakeCanvasBackend implements CanvasBackend {
  readonly decisions: Array<{ workspaceId: string; approvalId: string; input: DecisionInput }> = [];
  readonly approvals = new Map<string, ApprovalView>();
  /** Set to make every call fail, as a broken store would. */
  failWith: Error | null = null;
  /** A decision made elsewhere (e.g. the Zendesk app) that lands just before the next inbox decision. */
  decidedElsewhereFirst: DecisionInput | null = null;

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

  async get(workspaceId: string, approvalId: string): Promise<ApprovalView | null> {
    this.failIfAsked();
    return this.approvals.get(`${workspaceId}/${approvalId}`) ?? null;
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
    // As Countersign does: modifiedDetails is a merge patch; the answer carries the complete object.
    const patched = input.decision === 'approve' && input.modifiedDetails ? applyMergePatch(current.details, input.modifiedDetails) : null;
    const modifiedDetails = patched && !sameJson(patched, current.details) ? patched : null;
    const decided: ApprovalView = {
      ...current,
      status: input.decision === 'approve' ? 'approved' : 'rejected',
      modifiedDetails,
      changes: approvalChanges(current.details, modifiedDetails),
      decisionNote: input.note ?? null,
      decidedBy: { id: String(input.reviewer.id), name: input.reviewer.name, ...(input.reviewer.email ? { email: input.reviewer.email } : {}), via: input.reviewer.via },
      decidedAt: '2026-11-23T19:05:00.000Z',
    };
    this.approvals.set(`${workspaceId}/${approvalId}`, decided);
    return { approval: decided, conflict: false, refusal: null };
  }

  approvalLink(workspaceId: string, approvalId: string): string | null {
    return this.linkBase ? `${this.linkBase}/${encodeURIComponent(approvalId)}/view?t=${workspaceId}` : null;
  }

  private failIfAsked(): void {
    if (this.failWith) throw this.failWith;
  }
}
