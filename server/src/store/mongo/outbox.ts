// The outbox on MongoDB: fair claims, each delivery leased by its own atomic update.
import { trusted } from 'mongoose';
import type { AttemptOutcome, DeliveryClaim, DeliveryExclusion, OutboxStore } from '../../approvals/ports';
import type { DeliveryRecord } from '../../approvals/records';
import { deliveryHost } from '../../delivery/delivery-host';
import { fairShare, hostRoom, HostRotation, workspaceRoom, type ClaimCandidate } from '../../delivery/fair-share';
import type { MongoConnection } from './connection';
import { deliveryFromDocument, eventDocument, type DeliveryDocument } from './documents';

export class MongoOutbox implements OutboxStore {
  private readonly rotation = new HostRotation();

  constructor(private readonly db: MongoConnection) {}

  /**
   * Reads the head of every queue (workspace × host) the claim may take from, chooses among them with
   * fairShare (as SQLite does), then leases each chosen delivery with its own atomic findOneAndUpdate,
   * which checks again that it is due and free: of two instances reaching for one delivery only one
   * gets it, and the other simply claims fewer this time. If the store fails part-way, the deliveries
   * already leased are answered (their attempts must run, or they would sit out their lease); the
   * error is thrown only when nothing was leased (a failed read of the queues leases nothing). A lease
   * cut off by a network error is retried once by the driver (retryable writes: the server applies it
   * at most once), so it is not lost to a passing blip either.
   */
  async claim(claim: DeliveryClaim): Promise<DeliveryRecord[]> {
    const storeNow = await this.db.now(claim.now);
    const chosen = fairShare(await this.claimCandidates(claim, storeNow), claim);
    const claimed: DeliveryRecord[] = [];
    for (const id of chosen) {
      try {
        const delivery = await this.claimOne(id, claim);
        if (delivery) claimed.push(delivery);
      } catch (error) {
        if (claimed.length === 0) throw error;
        break;
      }
    }
    return claimed;
  }

  /**
   * The heads of the queues, and the deliveries whose lease ran out. Queues are found with distinct
   * scans of deliveries_queue_heads (one index walk per workspace, not a read of every pending
   * delivery), and each head is read from its unleased part only: deliveries leased but past their due
   * time (every attempt in flight keeps its due time) are not read at all, however many there are. The
   * few whose lease ran out (their instance died) are found apart, through deliveries_leases. Documents
   * written before the host was stored form a queue of their own (host null), their host worked out
   * from their target.
   */
  private async claimCandidates(claim: DeliveryClaim, storeNow: number): Promise<ClaimCandidate[]> {
    const [heads, lapsed] = await Promise.all([this.queueHeads(claim, storeNow), this.lapsedLeases(claim.limit, storeNow)]);
    return [...heads, ...lapsed];
  }

  private async queueHeads(claim: DeliveryClaim, storeNow: number): Promise<ClaimCandidate[]> {
    const { deliveries } = this.db.models;
    const workspaceIds = (await deliveries.distinct('workspaceId', { status: 'pending' })) as string[];
    const perWorkspace = await Promise.all(
      workspaceIds
        .filter((workspaceId) => workspaceRoom(claim, workspaceId) > 0)
        .map(async (workspaceId) => {
          const stored = ((await deliveries.distinct('host', { status: 'pending', workspaceId })) as Array<string | null>).filter((h): h is string => typeof h === 'string').sort();
          const hosts = this.rotation.pick(workspaceId, (after, max) => stored.filter((host) => after === null || host > after).slice(0, max));
          const room = workspaceRoom(claim, workspaceId);
          const queues = [...hosts.filter((host) => hostRoom(claim, host) > 0), null];
          return Promise.all(queues.map((host) => this.queueHead(workspaceId, host, host === null ? room : Math.min(room, hostRoom(claim, host)), storeNow)));
        }),
    );
    return perWorkspace.flat(2);
  }

  private async queueHead(workspaceId: string, host: string | null, limit: number, storeNow: number): Promise<ClaimCandidate[]> {
    if (limit < 1) return []; // MongoDB reads limit(0) as no limit
    const docs = await this.db.models.deliveries
      .find({ status: 'pending', workspaceId, host, leaseUntil: null, nextAttemptAt: trusted({ $lte: storeNow }) }, CANDIDATE_FIELDS)
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(candidateFromDocument);
  }

  /** Leased deliveries whose lease has ended (`$lte` on a number never matches null: unleased ones are not read). */
  private async lapsedLeases(limit: number, storeNow: number): Promise<ClaimCandidate[]> {
    if (limit < 1) return [];
    const docs = await this.db.models.deliveries
      .find({ status: 'pending', leaseUntil: trusted({ $lte: storeNow }) }, CANDIDATE_FIELDS)
      .sort({ leaseUntil: 1 })
      .limit(limit)
      .lean();
    return docs.map(candidateFromDocument);
  }

  /**
   * Leases one chosen delivery if it is still due and free by the store's clock, for `leaseMs` on that
   * clock: an instance whose own clock runs ahead cannot take over a lease that is still running.
   */
  private async claimOne(id: string, { now, owner, leaseMs }: DeliveryClaim): Promise<DeliveryRecord | null> {
    const storeNow = this.db.nowExpression(now);
    const doc = await this.db.models.deliveries
      .findOneAndUpdate(
        { _id: id, status: 'pending', $expr: trusted(claimable(storeNow)) },
        [{ $set: { leaseOwner: { $literal: owner }, leaseUntil: { $add: [storeNow, leaseMs] }, updatedAt: { $literal: now }, attempts: { $add: ['$attempts', 1] } } }],
        { returnDocument: 'after', updatePipeline: true },
      )
      .lean();
    return doc ? deliveryFromDocument(doc) : null;
  }

  async finishAttempt(o: AttemptOutcome): Promise<boolean> {
    const { deliveries, events } = this.db.models;
    return this.db.transaction(async (session) => {
      // Fenced on owner and attempt number: a worker whose lease was taken over cannot overwrite
      // the newer attempt's state.
      // The next attempt's delay, as the caller chose it, runs on the store's clock.
      const { matchedCount } = await deliveries.updateOne(
        { _id: o.deliveryId, leaseOwner: o.owner, attempts: o.attempt, status: 'pending' },
        [
          {
            $set: {
              status: { $literal: o.status },
              nextAttemptAt: { $add: [this.db.nowExpression(o.now), o.nextAttemptAt - o.now] },
              lastError: { $literal: o.lastError },
              leaseOwner: null,
              leaseUntil: null,
              updatedAt: { $literal: o.now },
            },
          },
        ],
        { session, updatePipeline: true },
      );
      if (matchedCount !== 1) return false;
      await events.insertOne(eventDocument(o.event), { session });
      return true;
    });
  }

  /**
   * The first unleased delivery by due time and the first leased one by lease end, each read from the
   * head of deliveries_leases, skipping excluded workspaces and hosts among the first NEXT_DUE_READ of
   * each. So it costs two short index reads however much is pending. Past that many excluded ones the
   * answer may come out late, which only makes the worker look later, and it looks at least once a
   * poll interval anyway (SQLite reads its queues' first rows likewise).
   */
  async nextDueAt(exclude?: DeliveryExclusion): Promise<number | null> {
    const { deliveries } = this.db.models;
    // Due times are on the store's clock; the caller waits on its own.
    const callerNow = Date.now();
    const [storeNow, unleased, leased] = await Promise.all([
      this.db.now(callerNow),
      deliveries.find({ status: 'pending', leaseUntil: null }, DUE_FIELDS).sort({ nextAttemptAt: 1 }).limit(NEXT_DUE_READ).lean(),
      deliveries.find({ status: 'pending', leaseUntil: trusted({ $ne: null }) }, DUE_FIELDS).sort({ leaseUntil: 1 }).limit(NEXT_DUE_READ).lean(),
    ]);
    const workspaces = new Set(exclude?.workspaceIds);
    const hosts = new Set(exclude?.hosts);
    const wanted = (d: Pick<DeliveryDocument, 'workspaceId' | 'host' | 'target'>) => !workspaces.has(d.workspaceId) && !hosts.has(d.host ?? deliveryHost(d.target));
    const firstDue = unleased.find(wanted)?.nextAttemptAt;
    const firstLease = leased.find(wanted);
    // A leased delivery becomes claimable when its lease ends, not at its due time.
    const dues = [firstDue, firstLease && Math.max(firstLease.nextAttemptAt, firstLease.leaseUntil ?? 0)].filter((due): due is number => typeof due === 'number');
    return dues.length === 0 ? null : Math.min(...dues) - storeNow + callerNow;
  }

  async list(workspaceId: string, approvalId: string): Promise<DeliveryRecord[]> {
    const docs = await this.db.models.deliveries
      .find({ workspaceId, approvalId })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    return docs.map(deliveryFromDocument);
  }
}

/** Most deliveries nextDueAt reads in each of its two orders. */
const NEXT_DUE_READ = 64;
const CANDIDATE_FIELDS = { _id: 1, workspaceId: 1, host: 1, target: 1, nextAttemptAt: 1 };
const DUE_FIELDS = { _id: 0, workspaceId: 1, host: 1, target: 1, nextAttemptAt: 1, leaseUntil: 1 };

function candidateFromDocument(d: Pick<DeliveryDocument, '_id' | 'workspaceId' | 'host' | 'target' | 'nextAttemptAt'>): ClaimCandidate {
  return { id: d._id, workspaceId: d.workspaceId, host: d.host ?? deliveryHost(d.target), nextAttemptAt: d.nextAttemptAt };
}

/** Due and free at `now` (an aggregation expression): its attempt time has come, and it has no lease or one that ended. */
function claimable(now: Record<string, unknown>): Record<string, unknown> {
  return { $and: [{ $lte: ['$nextAttemptAt', now] }, { $lte: [{ $ifNull: ['$leaseUntil', 0] }, now] }] };
}
