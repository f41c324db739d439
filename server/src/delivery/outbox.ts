// The outbox as the domain sees it: asks every registered delivery kind what a change sends, lets
// the worker adopt what it can send at once, and hands committed deliveries to the worker.
import type { ApprovalTransition, DeliveryPlanner } from '../approvals/approval-effects';
import type { WorkspaceStore } from '../approvals/ports';
import type { ApprovalRecord, DeliveryRecord } from '../approvals/records';
import type { WorkspaceRecord } from '../approvals/workspace-records';
import type { DeliveryKinds } from './delivery-kind';
import type { DeliveryWorker } from './delivery-worker';

export class Outbox implements DeliveryPlanner {
  constructor(
    private readonly kinds: DeliveryKinds,
    private readonly workspaces: WorkspaceStore,
    private readonly worker: DeliveryWorker,
  ) {}

  async plan(approval: ApprovalRecord, transition: ApprovalTransition, known?: WorkspaceRecord): Promise<DeliveryRecord[]> {
    const workspace = known?.id === approval.workspaceId ? known : await this.workspaces.get(approval.workspaceId);
    if (!workspace) return [];
    const planned = this.kinds.all.flatMap((kind) => kind.plan({ transition, approval, workspace }));
    return this.worker.adopt(planned);
  }

  committed(deliveries: DeliveryRecord[]): void {
    this.worker.dispatch(deliveries);
  }

  discarded(deliveries: DeliveryRecord[]): void {
    this.worker.discard(deliveries);
  }
}
