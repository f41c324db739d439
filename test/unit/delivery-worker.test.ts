// The delivery worker on its own, over the in-memory store, with fake delivery kinds. Nothing depends
// on real time. `now` is the worker's clock (due times, leases, cool-downs), moved only by advance().
// vitest's fake timers only schedule the worker's polls: settle() runs them over and over without
// moving `now`, so everything due happens and nothing else can, however often the worker looks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, type ApprovalRecord, type DeliveryRecord, type WorkspaceRecord } from '@countersign/server/approvals';
import { DeliveryKinds, DeliveryWorker, newDelivery, type AttemptResult, type DeliveryKind, type DeliveryWorkerOptions } from '@countersign/server/delivery';
import { createLogger } from '@countersign/server/monitoring';
import { MemoryStore } from '@countersign/server/store/memory';

const T0 = 1_790_000_000_000;
const RECEIVER = 'https://receiver.example.com/cb';
const OTHER_HOST = 'https://other.example.com/cb';
const COOLDOWN_MS = 60_000;
const POLL_MS = 1000;

const delivered: AttemptResult = { ok: true, statusCode: 200, error: null, retryAfterMs: null, permanent: false, durationMs: 3 };
const failed = (statusCode: number, more: Partial<AttemptResult> = {}): AttemptResult => ({
  ok: false, statusCode, error: `HTTP ${statusCode}`, retryAfterMs: null, permanent: statusCode === 410, durationMs: 3, ...more,
});

interface Held {
  delivery: DeliveryRecord;
  finish(): void;
}

/** A delivery kind whose answers the test decides; while `holding`, each send waits for finish(). */
class FakeKind implements DeliveryKind {
  readonly sent: Array<{ delivery: DeliveryRecord; workspace: WorkspaceRecord }> = [];
  readonly held: Held[] = [];
  holding = false;
  answer: (delivery: DeliveryRecord) => AttemptResult | Promise<AttemptResult> = () => delivered;

  constructor(readonly name = 'callback') {}

  plan(): DeliveryRecord[] {
    return [];
  }

  send(delivery: DeliveryRecord, workspace: WorkspaceRecord): Promise<AttemptResult> {
    this.sent.push({ delivery, workspace });
    if (!this.holding) return Promise.resolve(this.answer(delivery));
    return new Promise((resolve) => {
      const held: Held = { delivery, finish: () => resolve(this.answer(delivery)) };
      this.held.push(held);
    });
  }

  /** Lets held sends answer: all of them, or those `which` picks. */
  release(which: (delivery: DeliveryRecord) => boolean = () => true): void {
    for (const held of this.held.filter((h) => which(h.delivery))) {
      this.held.splice(this.held.indexOf(held), 1);
      held.finish();
    }
  }

  sentTo(target: string): number {
    return this.sent.filter((s) => s.delivery.target === target).length;
  }
}

describe('delivery worker', () => {
  let now: number;
  let store: MemoryStore;
  let kind: FakeKind;
  let acme: WorkspaceRecord;
  let globex: WorkspaceRecord;
  let logs: Array<Record<string, unknown>>;
  const workers: DeliveryWorker[] = [];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    now = T0;
    store = new MemoryStore();
    kind = new FakeKind();
    logs = [];
    acme = { id: newId('ws', T0), name: 'acme', createdAt: T0, settings: { defaultExpiresInSeconds: 3600 }, secrets: { callback: 'v1:one' } };
    globex = { id: newId('ws', T0), name: 'globex', createdAt: T0, settings: { defaultExpiresInSeconds: 3600 }, secrets: {} };
    await store.workspaces.create(acme);
    await store.workspaces.create(globex);
  });

  afterEach(async () => {
    kind.holding = false;
    kind.release();
    await settle();
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    vi.useRealTimers();
  });

  function startWorker(options: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
    const worker = new DeliveryWorker({
      outbox: store.outbox,
      workspaces: store.workspaces,
      kinds: new DeliveryKinds([kind]),
      retrySchedule: [1000, 5000],
      attemptTimeoutMs: 10_000,
      concurrency: 8,
      perWorkspace: 8,
      perHost: 8,
      hostCooldownMs: COOLDOWN_MS,
      pollIntervalMs: POLL_MS,
      owner: 'worker-1',
      log: createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) }),
      clock: () => now,
      ...options,
    });
    workers.push(worker);
    worker.start();
    return worker;
  }

  /** Lets the worker poll as often as it likes (several poll intervals of its timers) while `now` stands still. */
  async function settle(): Promise<void> {
    for (let turn = 0; turn < 10; turn++) await vi.advanceTimersByTimeAsync(POLL_MS);
  }

  /** Moves the worker's clock on by `ms`, then lets it work. */
  async function advance(ms: number): Promise<void> {
    now += ms;
    await settle();
  }

  /** Lets the worker poll until `done` holds; fails if it never does. */
  async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let round = 0; round < 50; round++) {
      if (await done()) return;
      await vi.advanceTimersByTimeAsync(POLL_MS);
    }
    throw new Error(`never happened: ${what}`);
  }

  function approvalIn(workspaceId: string): ApprovalRecord {
    return {
      id: newId('apr', now), workspaceId, status: 'pending', action: 'process_refund', summary: 'Refund', details: { ticketId: '1' },
      riskLevel: 'high', priority: 'normal', justification: null, agentName: null, metadata: null, context: null, callbackUrl: RECEIVER,
      createdAt: now, updatedAt: now, expiresAt: now + 3600_000, decidedAt: null, decidedBy: null, decisionNote: null, modifiedDetails: null,
      idempotencyKey: null, requestHash: null, createdByKeyId: null, version: 0, requestedBy: null, requirement: null, approvals: [],
    };
  }

  /** An approval of the workspace, stored pending, and the record a settlement of it would write. */
  async function settledApproval(workspaceId: string): Promise<ApprovalRecord> {
    const approval = approvalIn(workspaceId);
    await store.approvals.create(approval, [{ id: newId('evt', now), workspaceId, approvalId: approval.id, type: 'approval.created', at: now, data: {} }]);
    return { ...approval, status: 'approved', decidedAt: now, updatedAt: now };
  }

  /** Writes `count` deliveries of one settled approval, due `dueIn` from now, as a transition writes them. */
  async function queue(workspaceId: string, count: number, { target = RECEIVER, kindName = kind.name, dueIn = 0 } = {}): Promise<DeliveryRecord[]> {
    const settled = await settledApproval(workspaceId);
    const deliveries = Array.from({ length: count }, () => ({ ...newDelivery(settled, kindName, target, '{"status":"APPROVED"}'), nextAttemptAt: now + dueIn }));
    await write(settled, deliveries);
    return deliveries;
  }

  async function write(settled: ApprovalRecord, deliveries: DeliveryRecord[]): Promise<void> {
    const result = await store.approvals.transition({ approval: settled, now, expectedVersion: 0, requireUnexpired: false, events: [], deliveries });
    expect(result.applied).toBe(true);
  }

  const stored = async (d: DeliveryRecord) => (await store.outbox.list(d.workspaceId, d.approvalId)).find((x) => x.id === d.id)!;
  const attemptsOf = async (d: DeliveryRecord) =>
    (await store.approvals.listEvents(d.workspaceId, d.approvalId)).filter((e) => e.type === 'delivery.attempt' && e.data.deliveryId === d.id).map((e) => e.data);

  describe('sending', () => {
    it('claims the due deliveries and sends each once, leaving later ones until they are due', async () => {
      const due = await queue(acme.id, 3);
      const [later] = await queue(acme.id, 1, { dueIn: 60_000 });
      startWorker();
      await until(() => kind.sent.length === 3, 'three sends');
      await settle();
      expect(kind.sent.map((s) => s.delivery.id).sort()).toEqual(due.map((d) => d.id).sort());
      for (const d of due) expect(await stored(d)).toMatchObject({ status: 'succeeded', attempts: 1, leaseOwner: null, leaseUntil: null, lastError: null });
      expect(await stored(later!)).toMatchObject({ status: 'pending', attempts: 0 });
      await advance(60_000);
      await until(async () => (await stored(later!)).status === 'succeeded', 'the later delivery sent');
      expect(kind.sent).toHaveLength(4);
    });

    it('sends each delivery for its workspace as it is now', async () => {
      await queue(acme.id, 1);
      await store.workspaces.update(acme.id, { settings: acme.settings, secrets: { callback: 'v1:rotated' } });
      startWorker();
      await until(() => kind.sent.length === 1, 'one send');
      expect(kind.sent[0]!.workspace.secrets).toEqual({ callback: 'v1:rotated' });
    });

    it('records every attempt in the audit trail, without the query string of the target', async () => {
      const [d] = await queue(acme.id, 1, { target: `${RECEIVER}?token=receiver-secret` });
      kind.answer = () => (kind.sent.length === 1 ? failed(500) : delivered);
      startWorker();
      await until(async () => (await attemptsOf(d!)).length === 1, 'the first attempt recorded');
      const firstAt = now;
      await advance(1000);
      await until(async () => (await attemptsOf(d!)).length === 2, 'the second attempt recorded');
      expect(await attemptsOf(d!)).toEqual([
        { deliveryId: d!.id, kind: 'callback', target: RECEIVER, attempt: 1, outcome: 'retrying', statusCode: 500, error: 'HTTP 500', durationMs: 3, nextAttemptAt: new Date(firstAt + 1000).toISOString() },
        { deliveryId: d!.id, kind: 'callback', target: RECEIVER, attempt: 2, outcome: 'delivered', statusCode: 200, error: null, durationMs: 3, nextAttemptAt: null },
      ]);
    });
  });

  describe('retries', () => {
    it('retries a failed attempt on the schedule, and not before it is due', async () => {
      const [d] = await queue(acme.id, 1);
      kind.answer = () => failed(503);
      startWorker({ retrySchedule: [1000, 5000, 30_000] });
      await until(() => kind.sent.length === 1, 'the first attempt');
      await settle();
      expect(await stored(d!)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 1000, lastError: 'HTTP 503' });
      await advance(999);
      expect(kind.sent).toHaveLength(1);
      await advance(1);
      await until(() => kind.sent.length === 2, 'the second attempt');
      await settle();
      expect(await stored(d!)).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 1000 + 5000 });
      await advance(4999);
      expect(kind.sent).toHaveLength(2);
      await advance(1);
      await until(() => kind.sent.length === 3, 'the third attempt');
    });

    it('waits as long as a receiver’s Retry-After asks when that is longer than the schedule, but a day at most', async () => {
      const [longer] = await queue(acme.id, 1, { target: `${RECEIVER}/longer` });
      const [shorter] = await queue(acme.id, 1, { target: `${RECEIVER}/shorter` });
      const [huge] = await queue(acme.id, 1, { target: `${RECEIVER}/huge` });
      const retryAfter: Record<string, number> = { longer: 120_000, shorter: 10, huge: 10 * 24 * 3600_000 };
      kind.answer = (d) => failed(429, { retryAfterMs: retryAfter[d.target.split('/').at(-1)!]! });
      startWorker();
      await until(() => kind.sent.length === 3, 'three attempts');
      await settle();
      expect((await stored(longer!)).nextAttemptAt).toBe(T0 + 120_000);
      expect((await stored(shorter!)).nextAttemptAt).toBe(T0 + 1000);
      expect((await stored(huge!)).nextAttemptAt).toBe(T0 + 24 * 3600_000);
    });

    it('gives up once the schedule has run out', async () => {
      const [d] = await queue(acme.id, 1);
      kind.answer = () => failed(500);
      startWorker({ retrySchedule: [1000] });
      await until(() => kind.sent.length === 1, 'the first attempt');
      await advance(1000);
      await until(async () => (await stored(d!)).status === 'failed', 'the delivery given up');
      expect(await stored(d!)).toMatchObject({ attempts: 2, lastError: 'HTTP 500', leaseOwner: null });
      expect((await attemptsOf(d!)).map((a) => a.outcome)).toEqual(['retrying', 'gave_up']);
      await advance(3600_000);
      expect(kind.sent).toHaveLength(2);
    });

    it('gives up at once on a permanent refusal', async () => {
      const [d] = await queue(acme.id, 1);
      kind.answer = () => failed(410);
      startWorker();
      await until(async () => (await stored(d!)).status === 'failed', 'the delivery given up');
      expect(await stored(d!)).toMatchObject({ attempts: 1, lastError: 'HTTP 410' });
      expect((await attemptsOf(d!)).map((a) => [a.outcome, a.nextAttemptAt])).toEqual([['gave_up', null]]);
    });

    it('retries a delivery of a kind no sender is registered for', async () => {
      const [d] = await queue(acme.id, 1, { kindName: 'carrier-pigeon' });
      startWorker();
      await until(async () => (await attemptsOf(d!)).length === 1, 'the attempt recorded');
      expect(await stored(d!)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 1000, lastError: 'no sender for carrier-pigeon deliveries' });
      expect(kind.sent).toEqual([]);
    });

    it('retries when the sender throws, keeping its message', async () => {
      const [d] = await queue(acme.id, 1);
      kind.answer = () => Promise.reject(new Error('socket hang up'));
      startWorker();
      await until(async () => (await attemptsOf(d!)).length === 1, 'the attempt recorded');
      expect(await stored(d!)).toMatchObject({ status: 'pending', lastError: 'socket hang up', nextAttemptAt: T0 + 1000 });
    });

    it('gives up a delivery whose workspace no longer exists, without sending it', async () => {
      const [d] = await queue('ws_deleted', 1);
      startWorker();
      await until(async () => (await stored(d!)).status === 'failed', 'the delivery given up');
      expect(await stored(d!)).toMatchObject({ attempts: 1, lastError: 'workspace no longer exists' });
      expect(kind.sent).toEqual([]);
    });
  });

  describe('leases', () => {
    it('does not record the outcome of an attempt whose lease another worker took over', async () => {
      const [d] = await queue(acme.id, 1);
      kind.holding = true;
      const worker = startWorker();
      await until(() => kind.held.length === 1, 'the attempt under way');
      // The attempt outlives its lease, and another worker claims the delivery before this one polls again.
      now += worker.leaseMs;
      const [retaken] = await store.outbox.claim({ now, owner: 'worker-2', leaseMs: worker.leaseMs, limit: 10 });
      expect(retaken).toMatchObject({ id: d!.id, attempts: 2, leaseOwner: 'worker-2' });
      kind.release();
      await settle();
      expect(await stored(d!)).toMatchObject({ status: 'pending', attempts: 2, leaseOwner: 'worker-2' });
      expect(await attemptsOf(d!)).toEqual([]);
      expect(logs).toContainEqual(expect.objectContaining({ level: 40, deliveryId: d!.id, msg: 'attempt finished after its lease was taken over; outcome not recorded' }));
    });

    it('sends an adopted delivery as soon as it is committed, under the lease it was adopted with', async () => {
      const worker = startWorker();
      await settle();
      const settled = await settledApproval(acme.id);
      const [adopted] = worker.adopt([newDelivery(settled, 'callback', RECEIVER, '{}')]);
      expect(adopted).toMatchObject({ attempts: 1, leaseOwner: 'worker-1', leaseUntil: now + worker.leaseMs });
      await write(settled, [adopted!]);
      worker.dispatch([adopted!]);
      // No claim could take it (it is leased): only dispatch sends it.
      await until(async () => (await stored(adopted!)).status === 'succeeded', 'the adopted delivery sent');
      expect(kind.sent.map((s) => s.delivery.id)).toEqual([adopted!.id]);
      expect((await attemptsOf(adopted!)).map((a) => a.attempt)).toEqual([1]);
    });

    it('adopts only within the caps, and gives a discarded delivery’s slot back', async () => {
      const worker = startWorker({ concurrency: 1 });
      await settle();
      const settled = await settledApproval(acme.id);
      const plan = () => newDelivery(settled, 'callback', RECEIVER, '{}');
      const [first, second] = worker.adopt([plan(), plan()]);
      expect(first!.leaseOwner).toBe('worker-1');
      // Over the cap: left unleased for a claim to take in its turn.
      expect(second).toMatchObject({ attempts: 0, leaseOwner: null });
      expect(worker.adopt([plan()])[0]!.leaseOwner).toBeNull();
      worker.discard([first!]);
      expect(worker.adopt([plan()])[0]!.leaseOwner).toBe('worker-1');
    });
  });

  describe('fairness', () => {
    it('keeps no more of one workspace’s attempts in flight than its cap, while other workspaces go on', async () => {
      await queue(acme.id, 5);
      await queue(globex.id, 2, { target: OTHER_HOST });
      kind.holding = true;
      startWorker({ perWorkspace: 2 });
      await until(() => kind.held.length === 4, 'four attempts under way');
      await settle();
      const inFlight = (workspaceId: string) => kind.held.filter((h) => h.delivery.workspaceId === workspaceId).length;
      expect([inFlight(acme.id), inFlight(globex.id)]).toEqual([2, 2]);
      kind.release((d) => d.workspaceId === acme.id);
      await until(() => kind.sent.length === 6, 'the next two of acme');
      await settle();
      expect(inFlight(acme.id)).toBe(2);
    });

    it('keeps no more attempts to one host in flight than its cap, across workspaces', async () => {
      await queue(acme.id, 3);
      await queue(globex.id, 2);
      await queue(acme.id, 1, { target: OTHER_HOST });
      kind.holding = true;
      startWorker({ perHost: 2 });
      await until(() => kind.held.length === 3, 'three attempts under way');
      await settle();
      const inFlight = (target: string) => kind.held.filter((h) => h.delivery.target === target).length;
      expect([inFlight(RECEIVER), inFlight(OTHER_HOST)]).toEqual([2, 1]);
      kind.release((d) => d.target === RECEIVER);
      await until(() => kind.sentTo(RECEIVER) === 4, 'the next two to the host');
      await settle();
      expect(inFlight(RECEIVER)).toBe(2);
    });

    it('claims nothing for a host that failed five times in a row until its cool-down ends, then sends one probe', async () => {
      const toFailing = await queue(acme.id, 6);
      kind.answer = (d) => (d.target === RECEIVER ? failed(503) : delivered);
      const worker = startWorker({ perHost: 4, retrySchedule: [1000, 1000, 1000] });
      await until(() => kind.sentTo(RECEIVER) === 5, 'five failed attempts');
      await settle();
      expect(kind.sentTo(RECEIVER)).toBe(5);
      expect((await Promise.all(toFailing.map(stored))).map((d) => d.attempts).sort()).toEqual([0, 1, 1, 1, 1, 1]);
      // Its slots go to other hosts meanwhile.
      const [elsewhere] = await queue(acme.id, 1, { target: OTHER_HOST });
      worker.wake();
      await until(async () => (await stored(elsewhere!)).status === 'succeeded', 'the other host served');
      // The retries come due, yet the host is left alone: none of its deliveries is claimed.
      await advance(1000);
      await advance(COOLDOWN_MS - 1000 - 1);
      expect(kind.sentTo(RECEIVER)).toBe(5);
      expect((await Promise.all(toFailing.map(stored))).map((d) => d.attempts).sort()).toEqual([0, 1, 1, 1, 1, 1]);
      // Cooled down: one probe, alone; it answers, and the rest follow.
      kind.holding = true;
      await advance(1);
      await until(() => kind.held.length === 1, 'the probe');
      await settle();
      expect(kind.sentTo(RECEIVER)).toBe(6);
      kind.answer = () => delivered;
      kind.holding = false;
      kind.release();
      await until(async () => (await Promise.all(toFailing.map(stored))).every((d) => d.status === 'succeeded'), 'all delivered');
    });
  });

  describe('stopping', () => {
    it('waits for attempts in flight to finish and be recorded, and claims nothing more', async () => {
      const [d] = await queue(acme.id, 1);
      kind.holding = true;
      const worker = startWorker();
      await until(() => kind.held.length === 1, 'the attempt under way');
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await settle();
      expect(stopped).toBe(false);
      expect(worker.activeAttempts).toBe(1);
      kind.release();
      await stopping;
      expect(await stored(d!)).toMatchObject({ status: 'succeeded' });
      await queue(acme.id, 1);
      await advance(10_000);
      expect(kind.sent).toHaveLength(1);
    });
  });
});
