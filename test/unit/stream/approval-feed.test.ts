import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { newId } from '@countersign/server/approvals';
import type { ApprovalRecord } from '@countersign/server/approvals';
import { MemoryStore } from '@countersign/server/store/memory';
import { ApprovalFeed, type StreamItem } from '../../../server/src/stream/approval-feed';

const T0 = 1_790_000_000_000;

function approval(workspaceId: string): ApprovalRecord {
  return {
    id: newId('apr', T0), workspaceId, status: 'pending', action: 'a', summary: 's', details: {}, riskLevel: 'low', priority: 'normal',
    justification: null, agentName: null, metadata: null, context: null, callbackUrl: null, createdAt: T0, updatedAt: T0, expiresAt: T0 + 1000,
    decidedAt: null, decidedBy: null, decisionNote: null, modifiedDetails: null, idempotencyKey: null, requestHash: null, createdByKeyId: 'k',
    version: 0, requestedBy: null, requirement: null, approvals: [],
  };
}

async function setup() {
  const store = new MemoryStore();
  await store.init();
  const feed = new ApprovalFeed({ changes: store.changes, approvals: store.approvals, log: pino({ level: 'silent' }) });
  await feed.start();
  const create = async (workspaceId = 'ws_a') => {
    const a = approval(workspaceId);
    await store.approvals.create(a, [{ id: newId('evt', T0), workspaceId, approvalId: a.id, type: 'approval.created', at: T0, data: {} }]);
    feed.approvalChanged();
    return a;
  };
  return { store, feed, create };
}

describe('approval feed', () => {
  it('hands a resuming subscriber every change after its point exactly once, in order, while changes keep arriving', async () => {
    const { feed, create } = await setup();
    const before = [];
    for (let i = 0; i < 450; i++) before.push(await create());
    const got: StreamItem[] = [];
    const during = Array.from({ length: 50 }, () => create());
    const subscription = await feed.subscribe('ws_a', 0, (item) => got.push(item), () => undefined);
    const after = [...(await Promise.all(during)), await create(), await create()];
    await feed.poll();
    const seqs = got.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(got.map((item) => item.approval.id).sort()).toEqual([...before, ...after].map((a) => a.id).sort());
    expect(subscription.lastSeq).toBe(seqs.at(-1));
  });

  it('holds live changes committed while a subscriber catches up, and hands them over after the catch-up', async () => {
    const store = new MemoryStore();
    await store.init();
    const late: ApprovalRecord[] = [];
    let feed: ApprovalFeed;
    const createIn = async () => {
      const a = approval('ws_a');
      await store.approvals.create(a, [{ id: newId('evt', T0), workspaceId: 'ws_a', approvalId: a.id, type: 'approval.created', at: T0, data: {} }]);
      return a;
    };
    // The catch-up's read answers what was committed before it; meanwhile three more commit and the feed reads them.
    const changes = {
      latest: () => store.changes.latest(),
      since: async (after: number, limit: number, workspaceId?: string) => {
        const answer = await store.changes.since(after, limit, workspaceId);
        if (workspaceId !== undefined && late.length === 0) {
          for (let i = 0; i < 3; i++) late.push(await createIn());
          await feed.poll();
        }
        return answer;
      },
    };
    feed = new ApprovalFeed({ changes, approvals: store.approvals, log: pino({ level: 'silent' }) });
    await feed.start();
    const early = [await createIn(), await createIn()];
    const got: StreamItem[] = [];
    await feed.subscribe('ws_a', 0, (item) => got.push(item), () => undefined);
    expect(got.map((item) => item.approval.id)).toEqual([...early, ...late].map((a) => a.id));
  });

  it('gives a live subscriber only its own workspace’s changes, and nothing after it closes', async () => {
    const { feed, create } = await setup();
    const got: StreamItem[] = [];
    const subscription = await feed.subscribe('ws_a', null, (item) => got.push(item), () => undefined);
    const mine = await create('ws_a');
    await create('ws_b');
    await feed.poll();
    expect(got.map((item) => [item.type, item.approval.id])).toEqual([['approval.created', mine.id]]);
    subscription.close();
    await create('ws_a');
    await feed.poll();
    expect(got).toHaveLength(1);
  });

  it('ends every stream on closeAll', async () => {
    const { feed } = await setup();
    let ended = 0;
    await feed.subscribe('ws_a', null, () => undefined, () => ended++);
    await feed.subscribe('ws_b', null, () => undefined, () => ended++);
    feed.closeAll();
    expect(ended).toBe(2);
    expect(feed.subscriberCount).toBe(0);
  });
});
