// The live feed behind GET /api/approvals/stream: one reader per instance tails the store's change
// feed (approvals/ports/change-feed.ts) and hands each committed change to the streams of its
// workspace. Local commits wake it at once (it is an approval observer); other instances' commits
// arrive on its next poll. A stream that (re)connects from a sequence number first catches up from
// the store, while live changes for it are held, so it sees every change once, in order.
import type { Logger } from 'pino';
import type { ApprovalObserver } from '../approvals/approval-effects';
import type { ApprovalChange, ApprovalStore, ChangeFeed } from '../approvals/ports';
import type { ApprovalRecord } from '../approvals/records';

export type StreamEventType = 'approval.created' | 'approval.updated';

export interface StreamItem {
  seq: number;
  type: StreamEventType;
  /** The approval as it stands when the item is sent (a later change follows as its own item). */
  approval: ApprovalRecord;
}

export interface FeedSubscription {
  /** The last sequence number handed to the stream. */
  readonly lastSeq: number;
  close(): void;
}

interface Subscriber {
  workspaceId: string;
  lastSeq: number;
  /** Live items held while the subscriber catches up from the store. */
  held: StreamItem[] | null;
  send: (item: StreamItem) => void;
  /** Ends the subscriber's stream (shutdown). */
  end: () => void;
  closed: boolean;
}

const BATCH = 200;

export class ApprovalFeed implements ApprovalObserver {
  private cursor = 0;
  private draining: Promise<void> | null = null;
  private again = false;
  private readonly byWorkspace = new Map<string, Set<Subscriber>>();

  constructor(private readonly deps: { changes: ChangeFeed; approvals: Pick<ApprovalStore, 'get'>; log: Logger }) {}

  /** Starts from the newest committed change: earlier ones are only for streams that ask to resume. */
  async start(): Promise<void> {
    this.cursor = await this.deps.changes.latest();
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.byWorkspace.values()) n += set.size;
    return n;
  }

  /**
   * A change committed in this process: read the feed now rather than at the next poll, when a stream
   * is open (with none, the periodic poll keeps the cursor; intake should not pay a read for nobody).
   */
  approvalChanged(): void {
    if (this.byWorkspace.size > 0) void this.poll();
  }

  /** Reads what was committed since the last read (by any instance); runs are never concurrent. */
  poll(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'approval feed read failed; retrying at the next poll'))
      .finally(() => {
        this.draining = null;
      });
    return this.draining;
  }

  /**
   * Hands the workspace's changes after `afterSeq` (null: from now on) to `send`, in order, each once.
   * Resolves once the catch-up from the store has been sent.
   */
  async subscribe(workspaceId: string, afterSeq: number | null, send: (item: StreamItem) => void, end: () => void): Promise<FeedSubscription> {
    const subscriber: Subscriber = { workspaceId, lastSeq: afterSeq ?? this.cursor, held: afterSeq === null ? null : [], send, end, closed: false };
    let set = this.byWorkspace.get(workspaceId);
    if (!set) this.byWorkspace.set(workspaceId, (set = new Set()));
    set.add(subscriber);
    const subscription: FeedSubscription = {
      get lastSeq() {
        return subscriber.lastSeq;
      },
      close: () => this.unsubscribe(subscriber),
    };
    if (subscriber.held) {
      try {
        await this.catchUp(subscriber);
      } catch (error) {
        this.unsubscribe(subscriber);
        throw error;
      }
    }
    return subscription;
  }

  /** Ends every subscription and its stream (shutdown: open streams would hold the server open). */
  closeAll(): void {
    const all = [...this.byWorkspace.values()].flatMap((set) => [...set]);
    this.byWorkspace.clear();
    for (const subscriber of all) {
      subscriber.closed = true;
      subscriber.end();
    }
  }

  private unsubscribe(subscriber: Subscriber): void {
    subscriber.closed = true;
    const set = this.byWorkspace.get(subscriber.workspaceId);
    set?.delete(subscriber);
    if (set?.size === 0) this.byWorkspace.delete(subscriber.workspaceId);
  }

  private async catchUp(subscriber: Subscriber): Promise<void> {
    try {
      for (;;) {
        const batch = await this.deps.changes.since(subscriber.lastSeq, BATCH, subscriber.workspaceId);
        for (const item of await this.items(batch)) this.emit(subscriber, item);
        if (batch.length < BATCH || subscriber.closed) break;
      }
    } finally {
      const held = subscriber.held ?? [];
      subscriber.held = null;
      for (const item of held) this.emit(subscriber, item);
    }
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const batch = await this.deps.changes.since(this.cursor, BATCH);
        if (batch.length === 0) break;
        const watched = batch.filter((change) => this.byWorkspace.has(change.workspaceId));
        for (const item of await this.items(watched)) {
          for (const subscriber of this.byWorkspace.get(item.approval.workspaceId) ?? []) {
            if (subscriber.held) subscriber.held.push(item);
            else this.emit(subscriber, item);
          }
        }
        this.cursor = batch.at(-1)!.seq;
        if (batch.length < BATCH) break;
      }
    } while (this.again);
  }

  /** The changes as stream items, each approval read once per batch (as it stands now). */
  private async items(changes: ApprovalChange[]): Promise<StreamItem[]> {
    const approvals = new Map<string, Promise<ApprovalRecord | null>>();
    const items: StreamItem[] = [];
    for (const change of changes) {
      let approval = approvals.get(change.approvalId);
      if (!approval) approvals.set(change.approvalId, (approval = this.deps.approvals.get(change.workspaceId, change.approvalId)));
      const record = await approval;
      if (record) items.push({ seq: change.seq, type: change.type === 'approval.created' ? 'approval.created' : 'approval.updated', approval: record });
    }
    return items;
  }

  private emit(subscriber: Subscriber, item: StreamItem): void {
    if (subscriber.closed || item.seq <= subscriber.lastSeq) return;
    subscriber.lastSeq = item.seq;
    try {
      subscriber.send(item);
    } catch (err) {
      this.deps.log.warn({ err }, 'approval stream send failed; closing it');
      this.unsubscribe(subscriber);
    }
  }
}
