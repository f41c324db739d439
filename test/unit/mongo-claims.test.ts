// A MongoDB claim leases its deliveries one atomic update at a time. When the store fails part-way,
// the deliveries already leased (their attempt counted) must be answered, or they would sit out their
// lease unsent and lose a retry. Offline: the driver's collection calls are answered by stubs.
import { mongo } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryDocument } from '@countersign/server/store/mongo';
import { answerDriverCalls, offlineMongoStore, type OfflineMongoStore } from '../support/offline-mongo-store';

const NOW = 1_790_000_000_000;

function pending(id: string, workspaceId = 'ws_1'): DeliveryDocument {
  return {
    _id: id, workspaceId, approvalId: 'apr_1', kind: 'callback', target: 'https://example.com/cb', host: 'example.com', body: '{}', status: 'pending',
    attempts: 0, nextAttemptAt: NOW - 1000, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: NOW - 1000, updatedAt: NOW - 1000,
  };
}

/** Answers the claim's reads: the given workspaces, one host each, and their pending deliveries as queue heads. */
function queues(offline: OfflineMongoStore, byWorkspace: Record<string, DeliveryDocument[]>, failing: { workspaces?: Error; headOf?: string } = {}) {
  answerDriverCalls(offline.models.deliveries, {
    distinct: async (field: string, filter: { workspaceId?: string }) => {
      if (field === 'workspaceId') {
        if (failing.workspaces) throw failing.workspaces;
        return Object.keys(byWorkspace);
      }
      return [...new Set((byWorkspace[filter.workspaceId!] ?? []).map((d) => d.host))];
    },
    find: (filter: { workspaceId?: string; host?: string | null; leaseUntil?: unknown }) => ({
      toArray: async () => {
        if (failing.headOf !== undefined && filter.workspaceId === failing.headOf) throw new mongo.MongoNetworkError('connection reset');
        // Heads of unleased queues; no lapsed leases.
        const unleasedQueue = filter.workspaceId !== undefined && (filter.leaseUntil === null || filter.leaseUntil === undefined);
        return unleasedQueue ? (byWorkspace[filter.workspaceId!] ?? []).filter((d) => d.host === filter.host) : [];
      },
    }),
  });
}

describe('mongo claims failing part-way', () => {
  let offline: OfflineMongoStore;
  let leases: string[];
  beforeEach(() => {
    offline = offlineMongoStore({ clock: 'caller' });
    leases = [];
  });
  afterEach(async () => {
    await offline.close();
  });

  const claim = () => offline.store.outbox.claim({ now: NOW, owner: 'w1', leaseMs: 30_000, limit: 10 });

  it('answers the deliveries it leased before a lease failed, attempt counted, and stops there', async () => {
    const docs = [pending('msg_a'), pending('msg_b'), pending('msg_c')];
    queues(offline, { ws_1: docs });
    answerDriverCalls(offline.models.deliveries, {
      findOneAndUpdate: async (filter: { _id: string }) => {
        leases.push(filter._id);
        if (leases.length === 2) throw new mongo.MongoNetworkError('connection reset');
        return { ...docs.find((d) => d._id === filter._id)!, attempts: 1, leaseOwner: 'w1', leaseUntil: NOW + 30_000 };
      },
    });
    const claimed = await claim();
    expect(claimed.map((d) => [d.id, d.attempts, d.leaseOwner])).toEqual([['msg_a', 1, 'w1']]);
    expect(leases).toEqual(['msg_a', 'msg_b']);
  });

  it('throws when the very first lease fails, having leased nothing', async () => {
    queues(offline, { ws_1: [pending('msg_a')] });
    answerDriverCalls(offline.models.deliveries, {
      findOneAndUpdate: async (filter: { _id: string }) => {
        leases.push(filter._id);
        throw new mongo.MongoNetworkError('connection reset');
      },
    });
    await expect(claim()).rejects.toBeInstanceOf(mongo.MongoNetworkError);
    expect(leases).toEqual(['msg_a']);
  });

  it('throws, leasing nothing, when finding the queues fails', async () => {
    queues(offline, { ws_1: [pending('msg_a')] }, { workspaces: new mongo.MongoNetworkError('connection reset') });
    answerDriverCalls(offline.models.deliveries, { findOneAndUpdate: async (filter: { _id: string }) => (leases.push(filter._id), null) });
    await expect(claim()).rejects.toBeInstanceOf(mongo.MongoNetworkError);
    expect(leases).toEqual([]);
  });

  it('throws, leasing nothing, when reading one workspace\'s queue fails while another\'s succeeds', async () => {
    queues(offline, { ws_1: [pending('msg_a')], ws_2: [pending('msg_b', 'ws_2')] }, { headOf: 'ws_2' });
    answerDriverCalls(offline.models.deliveries, { findOneAndUpdate: async (filter: { _id: string }) => (leases.push(filter._id), null) });
    await expect(claim()).rejects.toBeInstanceOf(mongo.MongoNetworkError);
    expect(leases).toEqual([]);
  });
});
