// The two internal notes a platform gets on a ticket or conversation, as delivery kinds: the note on
// settlement (always), and the note on creation (when the workspace asks for it), which a settlement
// note written meanwhile supersedes. A platform says only how it plans and sends one note.
import type { OutboxStore } from '../approvals/ports';
import type { ApprovalRecord, DeliveryRecord } from '../approvals/records';
import type { WorkspaceRecord } from '../approvals/workspace-records';
import { notesOnCreation, type NotedPlatform } from '../workspaces/creation-notes';
import { supersededBy, type AttemptResult, type DeliveryKind } from './delivery-kind';

export interface PlatformNotes {
  platform: NotedPlatform;
  /** Kind names, stored on each delivery: never renamed. */
  kinds: { settled: string; created: string };
  /** The note's delivery of `kind` about the approval, or none (no account, not a ticket, …). */
  plan(approval: ApprovalRecord, workspace: WorkspaceRecord, note: 'settled' | 'created', kind: string): DeliveryRecord[];
  send(delivery: DeliveryRecord, workspace: WorkspaceRecord): Promise<AttemptResult>;
  outbox: Pick<OutboxStore, 'list'>;
}

export function noteKinds(notes: PlatformNotes): DeliveryKind[] {
  const { settled, created } = notes.kinds;
  return [
    {
      name: settled,
      plan: ({ transition, approval, workspace }) => (transition === 'settled' ? notes.plan(approval, workspace, 'settled', settled) : []),
      send: (delivery, workspace) => notes.send(delivery, workspace),
    },
    {
      name: created,
      plan: ({ transition, approval, workspace }) =>
        transition === 'created' && approval.status === 'pending' && notesOnCreation(workspace, notes.platform) ? notes.plan(approval, workspace, 'created', created) : [],
      // Once the request has ended its settlement note says so; "approval needed" after it would mislead.
      send: async (delivery, workspace) => (await supersededBy(notes.outbox, delivery, settled)) ?? notes.send(delivery, workspace),
    },
  ];
}
