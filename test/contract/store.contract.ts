// The Store contract: every adapter runs this same suite (see sqlite-store.test.ts, mongo-store.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@countersign/server/approvals';
import { newId } from '@countersign/server/approvals';
import type { ApprovalRecord, AuditEventRecord, DeliveryRecord, PostedMessageRecord, Settlement } from '@countersign/server/approvals';
import type { DeliveryClaim, Store, TransitionRequest } from '@countersign/server/approvals/ports';
import type { WorkspaceRecord } from '@countersign/server/approvals';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

const T0 = 1_790_000_000_000;

function workspace(name: string): WorkspaceRecord {
  return { id: newId('ws'), name, createdAt: T0, settings: { defaultExpiresInSeconds: 86_400 }, secrets: { callback: 'v1:sealed' } };
}

function approval(workspaceId: string, overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  const createdAt = overrides.createdAt ?? T0;
  return {
    id: newId('apr', createdAt),
    workspaceId,
    status: 'pending',
    action: 'process_refund',
    summary: 'Refund request on ticket #4512 — Jane Doe',
    details: { ticketId: '4512', amount: '49.00', nested: { 'a.b': ['x', { $y: 1 }] }, emoji: 'ü€😀' },
    riskLevel: 'high',
    priority: 'normal',
    justification: 'duplicate charge',
    agentName: null,
    metadata: null,
    context: { platform: 'zendesk', ticketId: '4512' },
    callbackUrl: 'https://example.com/callback',
    createdAt,
    updatedAt: createdAt,
    expiresAt: createdAt + 86_400_000,
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
    modifiedDetails: null,
    idempotencyKey: null,
    requestHash: null,
    createdByKeyId: 'key_x', version: 0, requestedBy: null, requirement: null, approvals: [],
    ...overrides,
  };
}

function event(a: ApprovalRecord, type: string, at = a.createdAt): AuditEventRecord {
  return { id: newId('evt', at), workspaceId: a.workspaceId, approvalId: a.id, type, at, data: { type } };
}

function delivery(a: ApprovalRecord, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: newId('msg', a.createdAt),
    workspaceId: a.workspaceId,
    approvalId: a.id,
    kind: 'callback',
    target: 'https://example.com/callback',
    body: '{"status":"APPROVED"}',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    leaseOwner: null,
    leaseUntil: null,
    lastError: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const approved: Settlement = {
  status: 'approved',
  decidedAt: T0 + 1000,
  decidedBy: { id: '7', name: 'Ana', via: 'api' },
  decisionNote: 'ok',
  modifiedDetails: { ticketId: '4512', amount: '25.00' },
};

/** The transition of `a` by `settlement` (approved by default), as the domain asks for it: the next record whole. */
function transition(a: ApprovalRecord, { settlement = approved, workspaceId = a.workspaceId, ...overrides }: Partial<TransitionRequest> & { settlement?: Settlement; workspaceId?: string } = {}): TransitionRequest {
  const now = overrides.now ?? T0 + 1000;
  return {
    approval: { ...a, ...settlement, workspaceId, updatedAt: now },
    now,
    expectedVersion: a.version,
    requireUnexpired: true,
    events: [event(a, 'approval.approved', T0 + 1000)],
    deliveries: [delivery(a)],
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`${name} store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let ws: WorkspaceRecord;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      ws = workspace('acme');
      await store.workspaces.create(ws);
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('meta', () => {
      it('keeps the first value written for a key', async () => {
        expect(await store.meta.get('k')).toBeNull();
        expect(await store.meta.putIfAbsent('k', 'first')).toBe('first');
        expect(await store.meta.putIfAbsent('k', 'second')).toBe('first');
        expect(await store.meta.get('k')).toBe('first');
      });
    });

    describe('workspaces', () => {
      it('finds a workspace by id and by name, and lists them', async () => {
        expect(await store.workspaces.get(ws.id)).toEqual(ws);
        expect(await store.workspaces.findByName('acme')).toEqual(ws);
        expect(await store.workspaces.findByName('nope')).toBeNull();
        expect((await store.workspaces.list()).map((w) => w.name)).toEqual(['acme']);
      });

      it('refuses a second workspace with the same name as a conflict', async () => {
        const error = await store.workspaces.create({ ...workspace('acme') }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).kind).toBe('conflict');
      });

      it('replaces settings and secrets on update', async () => {
        await store.workspaces.update(ws.id, { settings: { defaultExpiresInSeconds: 60, previousCallbackSecretUntil: 5 }, secrets: { callback: 'v1:new' } });
        const updated = await store.workspaces.get(ws.id);
        expect(updated?.settings).toEqual({ defaultExpiresInSeconds: 60, previousCallbackSecretUntil: 5 });
        expect(updated?.secrets).toEqual({ callback: 'v1:new' });
      });
    });

    describe('keys', () => {
      it('looks a key up by its hash and revokes it once', async () => {
        const key = { id: newId('key'), workspaceId: ws.id, scope: 'intake' as const, prefix: 'cs_live_abcdef…', hash: 'a'.repeat(64), label: 'zapier', createdAt: T0, revokedAt: null, reviewer: null };
        await store.keys.create(key);
        expect(await store.keys.findByHash('a'.repeat(64))).toEqual(key);
        expect(await store.keys.findByHash('b'.repeat(64))).toBeNull();
        expect(await store.keys.revoke(key.id, T0 + 5)).toBe(true);
        expect(await store.keys.revoke(key.id, T0 + 6)).toBe(false);
        expect((await store.keys.findByHash('a'.repeat(64)))?.revokedAt).toBe(T0 + 5);
        expect(await store.keys.list(ws.id)).toHaveLength(1);
        expect(await store.keys.list('ws_other')).toHaveLength(0);
      });
    });

    describe('approvals', () => {
      it('stores an approval with its creation event and reads it back unchanged', async () => {
        const a = approval(ws.id, { metadata: { source: 'zap' }, agentName: 'Fin', context: { platform: 'intercom', conversationId: '99' } });
        const result = await store.approvals.create(a, [event(a, 'approval.created')]);
        expect(result).toEqual({ created: true, approval: a });
        expect(await store.approvals.get(ws.id, a.id)).toEqual(a);
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created']);
      });

      it('answers the existing approval for a repeated idempotency key, writing nothing', async () => {
        const first = approval(ws.id, { idempotencyKey: 'idem-1', requestHash: 'h1' });
        await store.approvals.create(first, [event(first, 'approval.created')]);
        const again = approval(ws.id, { idempotencyKey: 'idem-1', requestHash: 'h2' });
        const result = await store.approvals.create(again, [event(again, 'approval.created')]);
        expect(result.created).toBe(false);
        expect(result.approval).toEqual(first);
        expect(await store.approvals.get(ws.id, again.id)).toBeNull();
        expect(await store.approvals.listEvents(ws.id, again.id)).toEqual([]);
      });

      it('scopes idempotency keys to a workspace and ignores absent keys', async () => {
        const other = workspace('other');
        await store.workspaces.create(other);
        const a = approval(ws.id, { idempotencyKey: 'same' });
        const b = approval(other.id, { idempotencyKey: 'same' });
        expect((await store.approvals.create(a, [event(a, 'approval.created')])).created).toBe(true);
        expect((await store.approvals.create(b, [event(b, 'approval.created')])).created).toBe(true);
        for (let i = 0; i < 3; i++) {
          const c = approval(ws.id);
          expect((await store.approvals.create(c, [event(c, 'approval.created')])).created).toBe(true);
        }
        expect((await store.approvals.findByIdempotencyKey(ws.id, 'same'))?.id).toBe(a.id);
        expect((await store.approvals.findByIdempotencyKey(other.id, 'same'))?.id).toBe(b.id);
        expect(await store.approvals.findByIdempotencyKey(ws.id, 'never-used')).toBeNull();
      });

      it('creates exactly one approval when the same idempotency key races', async () => {
        const racers = Array.from({ length: 10 }, () => approval(ws.id, { idempotencyKey: 'race' }));
        const results = await Promise.all(racers.map((a) => store.approvals.create(a, [event(a, 'approval.created')])));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const ids = new Set(results.map((r) => r.approval.id));
        expect(ids.size).toBe(1);
      });

      it('hides another workspace’s approval', async () => {
        const a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
        expect(await store.approvals.get('ws_other', a.id)).toBeNull();
        const result = await store.approvals.transition(transition(a, { workspaceId: 'ws_other' }));
        expect(result).toEqual({ applied: false, approval: null });
        expect((await store.approvals.get(ws.id, a.id))?.status).toBe('pending');
      });
    });

    describe('transitions', () => {
      let a: ApprovalRecord;
      beforeEach(async () => {
        a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
      });

      it('keeps fields a record has beyond the store\'s own columns, as created and as a transition changes them', async () => {
        // A field added to ApprovalRecord later needs no change to either adapter.
        type Grown = ApprovalRecord & { laterField: { approvals: string[] }; laterNote?: string };
        const grown: Grown = { ...approval(ws.id), laterField: { approvals: ['ana'] } };
        await store.approvals.create(grown, [event(grown, 'approval.created')]);
        expect(await store.approvals.get(ws.id, grown.id)).toEqual(grown);
        const next = transition(grown);
        next.approval = { ...next.approval, laterField: { approvals: ['ana', 'bo'] }, laterNote: 'two' } as Grown;
        const result = await store.approvals.transition(next);
        expect(result.approval).toMatchObject({ laterField: { approvals: ['ana', 'bo'] }, laterNote: 'two' });
        expect(await store.approvals.get(ws.id, grown.id)).toMatchObject({ status: 'approved', laterField: { approvals: ['ana', 'bo'] }, laterNote: 'two' });
        expect((await store.approvals.list(ws.id, {}, 10)).find((r) => r.id === grown.id)).toMatchObject({ laterNote: 'two' });
      });

      it('applies the first transition with its events and deliveries', async () => {
        const result = await store.approvals.transition(transition(a));
        expect(result.applied).toBe(true);
        expect(result.approval).toMatchObject({ ...approved, status: 'approved', updatedAt: T0 + 1000 });
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approved']);
        expect(await store.outbox.list(ws.id, a.id)).toHaveLength(1);
      });

      it('refuses a second transition and writes none of its events or deliveries', async () => {
        await store.approvals.transition(transition(a));
        const reject = transition(a, {
          settlement: { ...approved, status: 'rejected', modifiedDetails: null },
          events: [event(a, 'approval.rejected')],
          deliveries: [delivery(a)],
        });
        const result = await store.approvals.transition(reject);
        expect(result.applied).toBe(false);
        expect(result.approval?.status).toBe('approved');
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approved']);
        expect(await store.outbox.list(ws.id, a.id)).toHaveLength(1);
      });

      it('lets exactly one of 20 concurrent transitions win', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.approvals.transition(transition(a, {
              settlement: { ...approved, decisionNote: `n${i}` },
              events: [event(a, 'approval.approved')],
              deliveries: [delivery(a)],
            })),
          ),
        );
        expect(results.filter((r) => r.applied)).toHaveLength(1);
        expect(await store.outbox.list(ws.id, a.id)).toHaveLength(1);
      });

      it('rolls back a transition wholly when one of its writes fails, leaving concurrent ones intact', async () => {
        const b = approval(ws.id);
        await store.approvals.create(b, [event(b, 'approval.created')]);
        const shared = delivery(a);
        const [first, second] = await Promise.allSettled([
          store.approvals.transition(transition(a, { deliveries: [shared] })),
          // Reuses the first delivery's id: the insert fails, so b's status change must not stick.
          store.approvals.transition(transition(b, { deliveries: [{ ...shared, approvalId: b.id }] })),
        ]);
        expect(first.status).toBe('fulfilled');
        expect(second.status).toBe('rejected');
        expect((await store.approvals.get(ws.id, a.id))?.status).toBe('approved');
        expect((await store.approvals.get(ws.id, b.id))?.status).toBe('pending');
        expect((await store.approvals.listEvents(ws.id, b.id)).map((e) => e.type)).toEqual(['approval.created']);
      });

      it('refuses a decision after expiry but lets the expiry itself through', async () => {
        const late = a.expiresAt + 1;
        expect((await store.approvals.transition(transition(a, { now: late }))).applied).toBe(false);
        expect((await store.approvals.get(ws.id, a.id))?.status).toBe('pending');
        const expire = transition(a, {
          now: late,
          requireUnexpired: false,
          settlement: { status: 'expired', decidedAt: late, decidedBy: null, decisionNote: 'Expired', modifiedDetails: null },
        });
        expect((await store.approvals.transition(expire)).approval?.status).toBe('expired');
      });
    });

    describe('versions (compare-and-set) and the quorum fields', () => {
      const ana = { id: 'ana', name: 'Ana', email: 'ana@example.com', via: 'api' as const };
      const bo = { id: '381', name: 'Bo', via: 'zendesk' as const };
      const requirement = { ruleId: 'critical-two-person', policyVersion: 3, approvalsRequired: 2, reviewers: { emails: ['cfo@example.com'], ids: ['api:ana', 'zendesk:381'], zendeskGroups: ['360001'] } };
      let a: ApprovalRecord;
      beforeEach(async () => {
        a = approval(ws.id, { requestedBy: { id: 'req-1', email: 'Requester@Example.com' }, requirement });
        await store.approvals.create(a, [event(a, 'approval.created')]);
      });

      /** One approval recorded, the request still pending: the quorum's step, computed from `from`. */
      const recorded = (from: ApprovalRecord, reviewer: typeof ana | typeof bo, at: number): TransitionRequest => ({
        approval: { ...from, approvals: [...from.approvals, { reviewer, at }], updatedAt: at },
        now: at,
        expectedVersion: from.version,
        requireUnexpired: true,
        events: [event(from, 'approval.approval_recorded', at)],
        deliveries: [],
      });

      it('reads requestedBy, requirement and approvals back as created, and lists them', async () => {
        expect(await store.approvals.get(ws.id, a.id)).toEqual(a);
        expect((await store.approvals.list(ws.id, {}, 10)).find((r) => r.id === a.id)).toEqual(a);
        const plain = approval(ws.id);
        await store.approvals.create(plain, [event(plain, 'approval.created')]);
        expect(await store.approvals.get(ws.id, plain.id)).toMatchObject({ requestedBy: null, requirement: null, approvals: [], version: 0 });
      });

      it('applies a change at the expected version, staying pending with the approval recorded, and moves the version on', async () => {
        const result = await store.approvals.transition(recorded(a, ana, T0 + 100));
        expect(result.applied).toBe(true);
        expect(result.approval).toMatchObject({ status: 'pending', version: 1, approvals: [{ reviewer: ana, at: T0 + 100 }], requestedBy: a.requestedBy, requirement, decidedBy: null });
        expect(await store.approvals.get(ws.id, a.id)).toEqual(result.approval);
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approval_recorded']);
      });

      it('refuses a change computed from a stale version: answers the record as it stands and writes no event or delivery', async () => {
        const first = await store.approvals.transition(recorded(a, ana, T0 + 100));
        // Computed from the version-0 record the first change replaced, as a racing decision would be.
        const stale = await store.approvals.transition({ ...recorded(a, bo, T0 + 200), deliveries: [delivery(a)] });
        expect(stale).toEqual({ applied: false, approval: first.approval });
        const settleStale = await store.approvals.transition(transition(a, { expectedVersion: 0 }));
        expect(settleStale).toEqual({ applied: false, approval: first.approval });
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approval_recorded']);
        expect(await store.outbox.list(ws.id, a.id)).toEqual([]);
        expect(await store.approvals.transition(transition(a, { expectedVersion: 7 }))).toMatchObject({ applied: false, approval: { version: 1, status: 'pending' } });
      });

      it('settles from the version the last approval left, with every approval kept', async () => {
        const once = (await store.approvals.transition(recorded(a, ana, T0 + 100))).approval!;
        const settle = recorded(once, bo, T0 + 200);
        const result = await store.approvals.transition({ ...settle, approval: { ...settle.approval, status: 'approved', decidedAt: T0 + 200, decidedBy: bo, decisionNote: null }, deliveries: [delivery(a)] });
        expect(result.applied).toBe(true);
        expect(result.approval).toMatchObject({ status: 'approved', version: 2, decidedBy: bo, approvals: [{ reviewer: ana, at: T0 + 100 }, { reviewer: bo, at: T0 + 200 }] });
        expect(await store.outbox.list(ws.id, a.id)).toHaveLength(1);
        expect(await store.approvals.listSettledSince(T0 + 150)).toEqual([a.id]);
      });

      it('lets exactly one of 20 concurrent changes computed from the same version apply', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.approvals.transition({ ...recorded(a, { ...ana, id: `r${i}` }, T0 + 100 + i), deliveries: [delivery(a)] })));
        expect(results.filter((r) => r.applied)).toHaveLength(1);
        const stored = (await store.approvals.get(ws.id, a.id))!;
        expect(stored.version).toBe(1);
        expect(stored.approvals).toHaveLength(1);
        expect(await store.outbox.list(ws.id, a.id)).toHaveLength(1);
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approval_recorded']);
        for (const lost of results.filter((r) => !r.applied)) expect(lost.approval).toEqual(stored);
      });
    });

    describe('creation with its settlement', () => {
      /** A request the policy settled at intake: created approved, with both events and its callback. */
      function autoApproved(overrides: Partial<ApprovalRecord> = {}) {
        const a = approval(ws.id, {
          status: 'approved', decidedAt: T0, decidedBy: { id: 'small-refunds', name: 'Policy: small-refunds', via: 'policy' }, decisionNote: 'Refunds up to 20 are approved automatically.',
          requirement: { ruleId: 'small-refunds', policyVersion: 2, approvalsRequired: 0, reviewers: null }, ...overrides,
        });
        return { a, events: [event(a, 'approval.created'), event(a, 'approval.approved')], deliveries: [delivery(a), delivery(a, { kind: 'zendesk_note', target: 'https://acme.zendesk.com/api/v2/tickets/4512.json' })] };
      }

      it('writes the approval, its events and its deliveries together', async () => {
        const { a, events, deliveries } = autoApproved();
        expect(await store.approvals.create(a, events, deliveries)).toEqual({ created: true, approval: a });
        expect(await store.approvals.get(ws.id, a.id)).toEqual(a);
        expect((await store.approvals.listEvents(ws.id, a.id)).map((e) => e.type)).toEqual(['approval.created', 'approval.approved']);
        expect((await store.outbox.list(ws.id, a.id)).map((d) => d.id).sort()).toEqual(deliveries.map((d) => d.id).sort());
        expect(await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 10 })).toHaveLength(2);
      });

      it('writes nothing, no event and no delivery, when the idempotency key is already the workspace’s', async () => {
        const first = approval(ws.id, { idempotencyKey: 'auto-1', requestHash: 'h' });
        await store.approvals.create(first, [event(first, 'approval.created')]);
        const { a, events, deliveries } = autoApproved({ idempotencyKey: 'auto-1', requestHash: 'h' });
        expect(await store.approvals.create(a, events, deliveries)).toEqual({ created: false, approval: first });
        expect(await store.approvals.get(ws.id, a.id)).toBeNull();
        expect(await store.approvals.listEvents(ws.id, a.id)).toEqual([]);
        expect(await store.outbox.list(ws.id, a.id)).toEqual([]);
        expect(await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 10 })).toEqual([]);
      });

      it('creates one of 10 racing auto-decided requests with the same idempotency key, and only its deliveries', async () => {
        const racers = Array.from({ length: 10 }, () => autoApproved({ idempotencyKey: 'auto-race' }));
        const results = await Promise.all(racers.map(({ a, events, deliveries }) => store.approvals.create(a, events, deliveries)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)!.approval;
        expect(await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 100 })).toHaveLength(2);
        expect((await store.outbox.list(ws.id, winner.id))).toHaveLength(2);
      });

      it('writes nothing at all when one of its deliveries cannot be written', async () => {
        const { a: stored, events, deliveries } = autoApproved();
        await store.approvals.create(stored, events, deliveries);
        // Reuses a stored delivery's id: that insert fails, so the approval and its events must not stay.
        const { a, events: moreEvents } = autoApproved();
        await expect(store.approvals.create(a, moreEvents, [delivery(a), { ...deliveries[0]!, approvalId: a.id }])).rejects.toThrow();
        expect(await store.approvals.get(ws.id, a.id)).toBeNull();
        expect(await store.approvals.listEvents(ws.id, a.id)).toEqual([]);
        expect(await store.outbox.list(ws.id, a.id)).toEqual([]);
      });
    });

    describe('policies', () => {
      const document = {
        rules: [
          { id: 'small-refunds', when: { action: 'process_refund', riskLevel: ['low' as const, 'medium' as const], details: [{ path: 'amount', lte: 20 }, { path: 'customer.tier', in: ['gold', 'silver', null] }] }, then: { decide: 'approve' as const, note: 'ok ü€😀' } },
          { id: 'critical-two-person', when: { riskLevel: ['critical' as const], platform: 'zendesk' as const }, then: { approvals: 2, reviewers: { emails: ['cfo@example.com'], ids: ['api:admin'], zendeskGroups: ['360001'], zendeskRoles: ['admin'], intercomTeams: ['55'] } } },
          { id: 'rest', when: {}, then: { approvals: 1 } },
        ],
      };
      const version = (n: number, over: Partial<{ document: typeof document; setBy: string; createdAt: number }> = {}) => ({ workspaceId: ws.id, version: n, document, createdAt: T0 + n, setBy: 'key_admin', ...over });

      it('has no policy for a new workspace', async () => {
        expect(await store.policies.current(ws.id)).toBeNull();
        expect(await store.policies.get(ws.id, 1)).toBeNull();
      });

      it('stores versions one after another, each read back as written, the newest in force', async () => {
        expect(await store.policies.save(version(1))).toBe(true);
        expect(await store.policies.current(ws.id)).toEqual(version(1));
        const second = version(2, { document: { rules: [document.rules[2]!] }, setBy: 'cli' });
        expect(await store.policies.save(second)).toBe(true);
        expect(await store.policies.current(ws.id)).toEqual(second);
        expect(await store.policies.get(ws.id, 1)).toEqual(version(1));
        expect(await store.policies.get(ws.id, 2)).toEqual(second);
        expect(await store.policies.get(ws.id, 3)).toBeNull();
      });

      it('refuses a version that is not the next one (compare-and-set), changing nothing', async () => {
        expect(await store.policies.save(version(2))).toBe(false);
        expect(await store.policies.save(version(1))).toBe(true);
        expect(await store.policies.save(version(1, { setBy: 'late' }))).toBe(false);
        expect(await store.policies.save(version(3))).toBe(false);
        expect(await store.policies.current(ws.id)).toEqual(version(1));
      });

      it('lets exactly one of 10 concurrent saves of the same version win', async () => {
        await store.policies.save(version(1));
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.policies.save(version(2, { setBy: `admin-${i}` }))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.policies.current(ws.id))?.setBy).toBe(`admin-${results.indexOf(true)}`);
      });

      it('keeps each workspace’s policy to itself', async () => {
        const other = workspace('other');
        await store.workspaces.create(other);
        await store.policies.save(version(1));
        expect(await store.policies.current(other.id)).toBeNull();
        expect(await store.policies.save({ ...version(1), workspaceId: other.id, document: { rules: [] } })).toBe(true);
        expect(await store.policies.current(ws.id)).toEqual(version(1));
        expect((await store.policies.current(other.id))?.document).toEqual({ rules: [] });
      });

      it('keeps what it stored when a caller changes a policy it passed in or got back', async () => {
        const record = structuredClone(version(1));
        await store.policies.save(record);
        record.document.rules[0]!.id = 'changed-input';
        (await store.policies.current(ws.id))!.document.rules.pop();
        (await store.policies.get(ws.id, 1))!.setBy = 'changed-read';
        expect(await store.policies.current(ws.id)).toEqual(version(1));
      });
    });

    describe('listing', () => {
      it('lists newest first, pages strictly after a position, and filters', async () => {
        const other = workspace('other');
        await store.workspaces.create(other);
        const made: ApprovalRecord[] = [];
        for (let i = 0; i < 7; i++) {
          const context = i % 2 === 0 ? { platform: 'zendesk' as const, ticketId: 't1' } : { platform: 'intercom' as const, conversationId: 'c1' };
          // Two share a creation time: the id breaks the tie.
          const a = approval(ws.id, { createdAt: T0 + Math.min(i, 5) * 1000, context });
          made.push(a);
          await store.approvals.create(a, [event(a, 'approval.created')]);
        }
        const foreign = approval(other.id, { createdAt: T0 + 99_000 });
        await store.approvals.create(foreign, [event(foreign, 'approval.created')]);

        const newestFirst = [...made].sort((x, y) => y.createdAt - x.createdAt || (y.id < x.id ? -1 : 1)).map((x) => x.id);
        const page1 = await store.approvals.list(ws.id, {}, 3);
        expect(page1.map((x) => x.id)).toEqual(newestFirst.slice(0, 3));
        const last = page1.at(-1)!;
        const page2 = await store.approvals.list(ws.id, {}, 10, { createdAt: last.createdAt, id: last.id });
        expect(page2.map((x) => x.id)).toEqual(newestFirst.slice(3));

        const tickets = await store.approvals.list(ws.id, { ticketId: 't1' }, 10);
        expect(tickets).toHaveLength(4);
        expect(tickets.every((x) => x.context?.platform === 'zendesk')).toBe(true);
        expect(await store.approvals.list(ws.id, { conversationId: 'c1' }, 10)).toHaveLength(3);
        expect(await store.approvals.list(ws.id, { conversationId: 't1' }, 10)).toHaveLength(0);

        await store.approvals.transition(transition(made[0]!));
        expect((await store.approvals.list(ws.id, { status: 'approved' }, 10)).map((x) => x.id)).toEqual([made[0]!.id]);
        expect(await store.approvals.list(ws.id, { status: 'pending', ticketId: 't1' }, 10)).toHaveLength(3);
      });
    });

    describe('expiry and settlement feeds', () => {
      it('lists overdue pending approvals across workspaces, soonest expiry first', async () => {
        const other = workspace('other');
        await store.workspaces.create(other);
        const a = approval(ws.id, { expiresAt: T0 + 20 });
        const b = approval(other.id, { expiresAt: T0 + 10 });
        const c = approval(ws.id, { expiresAt: T0 + 10_000 });
        const d = approval(ws.id, { expiresAt: T0 + 5 });
        for (const x of [a, b, c, d]) await store.approvals.create(x, [event(x, 'approval.created')]);
        await store.approvals.transition(transition(d, { requireUnexpired: false }));
        expect((await store.approvals.listOverdue(T0 + 100, 10)).map((x) => x.id)).toEqual([b.id, a.id]);
        expect(await store.approvals.listOverdue(T0 + 100, 1)).toHaveLength(1);
      });

      it('lists pending, unexpired approvals with a follow-up due across workspaces, earliest first, as transitions move it', async () => {
        const other = workspace('other');
        await store.workspaces.create(other);
        const a = approval(ws.id, { followUpAt: T0 + 50 });
        const b = approval(other.id, { followUpAt: T0 + 10 });
        const later = approval(ws.id, { followUpAt: T0 + 10_000 });
        const none = approval(ws.id, { followUpAt: null });
        const absent = approval(ws.id);
        const expired = approval(ws.id, { followUpAt: T0 + 5, expiresAt: T0 + 60 });
        const settled = approval(ws.id, { followUpAt: T0 + 5 });
        for (const x of [a, b, later, none, absent, expired, settled]) await store.approvals.create(x, [event(x, 'approval.created')]);
        await store.approvals.transition(transition(settled, { requireUnexpired: false }));
        expect((await store.approvals.listFollowUpsDue(T0 + 100, 10)).map((x) => x.id)).toEqual([b.id, a.id]);
        expect(await store.approvals.listFollowUpsDue(T0 + 100, 1)).toHaveLength(1);
        // A follow-up made: the transition moves the next one later, still pending.
        const reminded = { ...a, remindedAt: T0 + 100, followUpAt: T0 + 20_000, updatedAt: T0 + 100 };
        const made = await store.approvals.transition({ approval: reminded, now: T0 + 100, expectedVersion: a.version, requireUnexpired: true, events: [event(a, 'approval.reminded', T0 + 100)], deliveries: [] });
        expect(made.applied).toBe(true);
        expect(made.approval).toMatchObject({ status: 'pending', remindedAt: T0 + 100, followUpAt: T0 + 20_000 });
        expect((await store.approvals.listFollowUpsDue(T0 + 15_000, 10)).map((x) => x.id)).toEqual([b.id, later.id]);
        expect((await store.approvals.get(ws.id, none.id))!.followUpAt).toBeNull();
        expect(await store.approvals.get(ws.id, absent.id)).toEqual(absent);
      });

      it('lists approvals settled since a time', async () => {
        const a = approval(ws.id);
        const b = approval(ws.id);
        for (const x of [a, b]) await store.approvals.create(x, [event(x, 'approval.created')]);
        await store.approvals.transition(transition(a, { now: T0 + 5000 }));
        expect(await store.approvals.listSettledSince(T0 + 4000)).toEqual([a.id]);
        expect(await store.approvals.listSettledSince(T0 + 6000)).toEqual([]);
      });

      it('answers which of the given approvals have left pending, in any workspace, however early their transition was stamped', async (ctx) => {
        if (!store.approvals.listSettledAmong) return ctx.skip('listSettledAmong is optional and this adapter has none');
        const other = workspace('other');
        await store.workspaces.create(other);
        const a = approval(ws.id);
        const b = approval(ws.id);
        const c = approval(other.id);
        for (const x of [a, b, c]) await store.approvals.create(x, [event(x, 'approval.created')]);
        // Stamped an hour before it committed (the deciding instance took its time before the transaction).
        await store.approvals.transition(transition(a, { now: T0 - 3_600_000 }));
        await store.approvals.transition(transition(c, { now: T0 + 1000 }));
        expect(await store.approvals.listSettledSince(T0)).not.toContain(a.id);
        expect((await store.approvals.listSettledAmong([a.id, b.id, c.id, 'apr_unknown'])).sort()).toEqual([a.id, c.id].sort());
        expect(await store.approvals.listSettledAmong([b.id])).toEqual([]);
        expect(await store.approvals.listSettledAmong([])).toEqual([]);
      });
    });

    describe('posted messages', () => {
      const message = (approvalId: string, overrides: Partial<PostedMessageRecord> = {}): PostedMessageRecord => ({
        workspaceId: ws.id, approvalId, role: 'request', platform: 'slack', channel: 'C0123ABCD', messageId: '1790000000.000100', postedAt: T0, ...overrides,
      });

      it('keeps the first message recorded per approval and role, and lists an approval\'s messages in posting order', async () => {
        const a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
        expect(await store.postedMessages.get(ws.id, a.id, 'request')).toBeNull();
        expect(await store.postedMessages.record(message(a.id))).toEqual(message(a.id));
        // A retried post that went out twice: the first one recorded stays.
        expect(await store.postedMessages.record(message(a.id, { messageId: '1790000000.000999', postedAt: T0 + 5 }))).toEqual(message(a.id));
        await store.postedMessages.record(message(a.id, { role: 'escalation', channel: 'C0ESCALATE', messageId: '1790000100.000200', postedAt: T0 + 100 }));
        expect(await store.postedMessages.get(ws.id, a.id, 'escalation')).toMatchObject({ channel: 'C0ESCALATE', messageId: '1790000100.000200' });
        expect((await store.postedMessages.list(ws.id, a.id)).map((m) => m.role)).toEqual(['request', 'escalation']);
        expect(await store.postedMessages.get('ws_other', a.id, 'request')).toBeNull();
        expect(await store.postedMessages.list('ws_other', a.id)).toEqual([]);
      });

      it('records exactly one of 10 concurrent first messages for the same approval and role', async () => {
        const a = approval(ws.id);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.postedMessages.record(message(a.id, { messageId: `1790000000.00010${i}` }))));
        expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
        expect(await store.postedMessages.get(ws.id, a.id, 'request')).toEqual(results[0]);
      });
    });

    describe('audit events', () => {
      it('keeps events in the order they were written, per workspace', async () => {
        const a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
        for (let i = 0; i < 5; i++) await store.approvals.appendEvent({ ...event(a, `note.${i}`, T0 + 10), data: { i } });
        const events = await store.approvals.listEvents(ws.id, a.id);
        expect(events.map((e) => e.type)).toEqual(['approval.created', 'note.0', 'note.1', 'note.2', 'note.3', 'note.4']);
        expect(events[3]!.data).toEqual({ i: 2 });
        expect(await store.approvals.listEvents('ws_other', a.id)).toEqual([]);
      });
    });

    describe('change feed', () => {
      it('numbers approval changes in commit order, across workspaces, leaving delivery attempts out', async () => {
        const start = await store.changes.latest();
        const other = workspace('globex');
        await store.workspaces.create(other);
        const a = approval(ws.id);
        const b = approval(other.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
        await store.approvals.create(b, [event(b, 'approval.created')]);
        await store.approvals.appendEvent(event(a, 'delivery.attempt', T0 + 5));
        await store.approvals.transition(transition(a));
        const changes = await store.changes.since(start, 10);
        expect(changes.map((c) => [c.workspaceId, c.approvalId, c.type])).toEqual([
          [ws.id, a.id, 'approval.created'], [other.id, b.id, 'approval.created'], [ws.id, a.id, 'approval.approved'],
        ]);
        const seqs = changes.map((c) => c.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(3);
        expect(seqs[0]).toBeGreaterThan(start);
        expect(await store.changes.latest()).toBe(seqs[2]);
      });

      it('answers what came after a sequence number, one workspace\'s when asked, at most the limit', async () => {
        const start = await store.changes.latest();
        const other = workspace('initech');
        await store.workspaces.create(other);
        const mine = [approval(ws.id), approval(ws.id), approval(ws.id)];
        for (const a of mine) {
          await store.approvals.create(a, [event(a, 'approval.created')]);
          const theirs = approval(other.id);
          await store.approvals.create(theirs, [event(theirs, 'approval.created')]);
        }
        const ours = await store.changes.since(start, 10, ws.id);
        expect(ours.map((c) => c.approvalId)).toEqual(mine.map((a) => a.id));
        expect((await store.changes.since(ours[0]!.seq, 10, ws.id)).map((c) => c.approvalId)).toEqual([mine[1]!.id, mine[2]!.id]);
        expect(await store.changes.since(start, 2)).toHaveLength(2);
        expect(await store.changes.since(await store.changes.latest(), 10)).toEqual([]);
      });

      it('writes no change for a transition that is not applied', async () => {
        const a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
        await store.approvals.transition(transition(a));
        const before = await store.changes.latest();
        const lost = await store.approvals.transition(transition(a));
        expect(lost.applied).toBe(false);
        expect(await store.changes.latest()).toBe(before);
      });
    });

    describe('outbox', () => {
      let a: ApprovalRecord;
      beforeEach(async () => {
        a = approval(ws.id);
        await store.approvals.create(a, [event(a, 'approval.created')]);
      });

      async function queue(...deliveries: DeliveryRecord[]) {
        await store.approvals.transition(transition(a, { deliveries }));
      }

      it('claims only due deliveries, starting an attempt under a lease', async () => {
        const due = delivery(a, { nextAttemptAt: T0 });
        const later = delivery(a, { nextAttemptAt: T0 + 60_000 });
        await queue(due, later);
        const claimed = await store.outbox.claim({ now: T0 + 1, owner: 'w1', leaseMs: 30_000, limit: 10 });
        expect(claimed.map((d) => d.id)).toEqual([due.id]);
        expect(claimed[0]).toMatchObject({ attempts: 1, leaseOwner: 'w1', leaseUntil: T0 + 30_001, body: due.body });
        expect(await store.outbox.claim({ now: T0 + 2, owner: 'w2', leaseMs: 30_000, limit: 10 })).toEqual([]);
        expect(await store.outbox.nextDueAt()).toBe(T0 + 30_001);
      });

      it('lets another worker take over once the lease has ended', async () => {
        await queue(delivery(a));
        await store.outbox.claim({ now: T0, owner: 'dead', leaseMs: 1000, limit: 10 });
        const retaken = await store.outbox.claim({ now: T0 + 1000, owner: 'w2', leaseMs: 1000, limit: 10 });
        expect(retaken).toHaveLength(1);
        expect(retaken[0]).toMatchObject({ attempts: 2, leaseOwner: 'w2' });
      });

      it('records an outcome only for the lease holder’s current attempt', async () => {
        const d = delivery(a);
        await queue(d);
        await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 10 });
        const outcome = { deliveryId: d.id, owner: 'w1', attempt: 1, status: 'pending' as const, nextAttemptAt: T0 + 5000, lastError: 'HTTP 500', now: T0 + 10, event: event(a, 'delivery.attempt', T0 + 10) };
        expect(await store.outbox.finishAttempt({ ...outcome, owner: 'w2' })).toBe(false);
        expect(await store.outbox.finishAttempt({ ...outcome, attempt: 2 })).toBe(false);
        expect(await store.outbox.finishAttempt(outcome)).toBe(true);
        expect(await store.outbox.finishAttempt(outcome)).toBe(false);
        const [stored] = await store.outbox.list(ws.id, a.id);
        expect(stored).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 5000, leaseOwner: null, leaseUntil: null, lastError: 'HTTP 500' });
        expect((await store.approvals.listEvents(ws.id, a.id)).filter((e) => e.type === 'delivery.attempt')).toHaveLength(1);
        expect(await store.outbox.nextDueAt()).toBe(T0 + 5000);
        expect(await store.outbox.claim({ now: T0 + 4999, owner: 'w1', leaseMs: 1000, limit: 10 })).toEqual([]);
        expect(await store.outbox.claim({ now: T0 + 5000, owner: 'w1', leaseMs: 1000, limit: 10 })).toHaveLength(1);
      });

      it('never claims a finished delivery again', async () => {
        const d = delivery(a);
        await queue(d);
        await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 10 });
        await store.outbox.finishAttempt({ deliveryId: d.id, owner: 'w1', attempt: 1, status: 'succeeded', nextAttemptAt: T0, lastError: null, now: T0 + 1, event: event(a, 'delivery.attempt') });
        expect(await store.outbox.claim({ now: T0 + 99_999, owner: 'w1', leaseMs: 1000, limit: 10 })).toEqual([]);
        expect(await store.outbox.nextDueAt()).toBeNull();
      });

      it('never hands the same delivery to two concurrent claimers', async () => {
        const many = Array.from({ length: 30 }, () => delivery(a));
        await queue(...many);
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) => store.outbox.claim({ now: T0, owner: `w${i}`, leaseMs: 30_000, limit: 8 })),
        );
        const ids = claims.flat().map((d) => d.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(30);
      });

      describe('fair claims', () => {
        const HOST_A = 'https://a.example.com/cb';
        const HOST_B = 'https://b.example.com:8443/cb';
        let other: WorkspaceRecord;
        beforeEach(async () => {
          other = workspace('globex');
          await store.workspaces.create(other);
        });

        /** Writes `count` due deliveries of one workspace (one decided approval), due one millisecond apart from `from`. */
        async function due(w: WorkspaceRecord, count: number, from: number, target = HOST_A): Promise<DeliveryRecord[]> {
          const owner = approval(w.id);
          await store.approvals.create(owner, [event(owner, 'approval.created')]);
          const written = Array.from({ length: count }, (_, i) => delivery(owner, { nextAttemptAt: from + i, target }));
          await store.approvals.transition(transition(owner, { deliveries: written }));
          return written;
        }
        const claimOf = (limit: number, fairness: Partial<DeliveryClaim> = {}) =>
          store.outbox.claim({ now: T0 + 10_000, owner: 'w1', leaseMs: 30_000, limit, ...fairness });
        const ids = (deliveries: DeliveryRecord[]) => deliveries.map((d) => d.id).sort();

        it('takes turns across workspaces, so a backlog does not hold back another workspace’s one delivery', async () => {
          const backlog = await due(ws, 200, T0);
          const [single] = await due(other, 1, T0 + 5000);
          const claimed = await claimOf(4, { perWorkspace: 16 });
          expect(ids(claimed)).toEqual(ids([single!, ...backlog.slice(0, 3)]));
        });

        it('puts a workspace with attempts in flight behind idle ones', async () => {
          const busy = await due(ws, 10, T0);
          const idle = await due(other, 3, T0 + 5000);
          // acme has 2 busy: its first due delivery takes turn 3, so globex's first two go first.
          expect(ids(await claimOf(3, { perWorkspace: 16, workspaceBusy: { [ws.id]: 2 } }))).toEqual(ids([idle[0]!, idle[1]!, busy[0]!]));
        });

        it('claims no more of a workspace than its cap allows, counting the attempts it has in flight', async () => {
          const many = await due(ws, 10, T0);
          const few = await due(other, 2, T0 + 5000);
          expect(ids(await claimOf(20, { perWorkspace: 4, workspaceBusy: { [ws.id]: 1 } }))).toEqual(ids([...many.slice(0, 3), ...few]));
          // The rest keep their attempt count and stay claimable once there is room.
          const [left] = (await store.outbox.list(ws.id, many[5]!.approvalId)).filter((d) => d.id === many[5]!.id);
          expect(left).toMatchObject({ attempts: 0, leaseOwner: null, nextAttemptAt: many[5]!.nextAttemptAt });
        });

        it('claims nothing of a workspace at its cap', async () => {
          await due(ws, 5, T0);
          const others = await due(other, 2, T0 + 5000);
          expect(ids(await claimOf(10, { perWorkspace: 3, workspaceBusy: { [ws.id]: 3 } }))).toEqual(ids(others));
        });

        it('claims no more to one host than its cap, and lets workspaces take turns within it', async () => {
          const toA = await due(ws, 6, T0, HOST_A);
          const [otherToA] = await due(other, 1, T0 + 5000, HOST_A);
          const toB = await due(ws, 2, T0 + 6000, HOST_B);
          const claimed = await claimOf(20, { perHost: 3 });
          expect(ids(claimed)).toEqual(ids([toA[0]!, toA[1]!, otherToA!, ...toB]));
        });

        it('claims none to a host with no room and at most its room to a named host', async () => {
          await due(ws, 4, T0, HOST_A);
          const toB = await due(other, 4, T0 + 100, HOST_B);
          expect(ids(await claimOf(20, { perHost: 8, hostRoom: { 'a.example.com': 0, 'b.example.com:8443': 2 } }))).toEqual(ids(toB.slice(0, 2)));
        });

        it('reads a workspace’s many hosts in turns, so every host’s deliveries are reached', async () => {
          const owner = approval(ws.id);
          await store.approvals.create(owner, [event(owner, 'approval.created')]);
          const spread = Array.from({ length: 100 }, (_, i) => delivery(owner, { nextAttemptAt: T0 + i, target: `https://h${String(i).padStart(3, '0')}.example.com/cb` }));
          await store.approvals.transition(transition(owner, { deliveries: spread }));
          const first = await claimOf(200);
          const second = await claimOf(200);
          expect(first.length).toBeGreaterThan(0);
          expect(second.length).toBeGreaterThan(0);
          expect(ids([...first, ...second])).toEqual(ids(spread));
        });

        it('leaves excluded workspaces and hosts out of the next due time', async () => {
          await due(ws, 1, T0, HOST_A);
          await due(other, 1, T0 + 50, HOST_A);
          await due(other, 1, T0 + 70, HOST_B);
          expect(await store.outbox.nextDueAt()).toBe(T0);
          expect(await store.outbox.nextDueAt({ workspaceIds: [ws.id], hosts: [] })).toBe(T0 + 50);
          expect(await store.outbox.nextDueAt({ workspaceIds: [ws.id], hosts: ['a.example.com'] })).toBe(T0 + 70);
          expect(await store.outbox.nextDueAt({ workspaceIds: [ws.id, other.id], hosts: [] })).toBeNull();
        });
      });
    });

    describe('processed platform events', () => {
      it('claims an event id once and prunes old claims', async () => {
        expect(await store.platformEvents.claim('intercom', 'notif_1', T0)).toBe(true);
        expect(await store.platformEvents.claim('intercom', 'notif_1', T0 + 1)).toBe(false);
        expect(await store.platformEvents.claim('zendesk', 'notif_1', T0)).toBe(true);
        expect(await store.platformEvents.claim('intercom', 'notif_2', T0 + 10_000)).toBe(true);
        expect(await store.platformEvents.prune(T0 + 5000)).toBe(2);
        expect(await store.platformEvents.claim('intercom', 'notif_2', T0 + 20_000)).toBe(false);
        expect(await store.platformEvents.claim('intercom', 'notif_1', T0 + 20_000)).toBe(true);
      });

      it('lets exactly one of 20 concurrent claims of one id win', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => store.platformEvents.claim('intercom', 'dup', T0)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      const inbound = (eventId: string, receivedAt: number) => ({ source: 'intercom', eventId, topic: 'conversation.admin.closed', payload: `{"id":"${eventId}"}`, receivedAt });

      it('records an event with its payload once, and lists it until it is processed', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => store.platformEvents.record(inbound('notif_rec', T0))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.platformEvents.record(inbound('notif_rec2', T0 + 100))).toBe(true);
        expect(await store.platformEvents.claim('intercom', 'notif_bare', T0)).toBe(true);

        const pending = await store.platformEvents.listUnprocessed('intercom', T0 + 1000, 5, 10);
        expect(pending.map((e) => e.eventId)).toEqual(['notif_rec', 'notif_rec2']);
        expect(pending[0]).toEqual({ ...inbound('notif_rec', T0), processedAt: null, attempts: 0 });
        expect(await store.platformEvents.listUnprocessed('intercom', T0 + 50, 5, 10)).toHaveLength(1);
        expect(await store.platformEvents.listUnprocessed('zendesk', T0 + 1000, 5, 10)).toHaveLength(0);

        await store.platformEvents.markProcessed('intercom', 'notif_rec', T0 + 200);
        expect((await store.platformEvents.listUnprocessed('intercom', T0 + 1000, 5, 10)).map((e) => e.eventId)).toEqual(['notif_rec2']);
        expect(await store.platformEvents.record(inbound('notif_rec', T0 + 300))).toBe(false);
      });

      it('stops listing an event after too many failed tries', async () => {
        await store.platformEvents.record(inbound('notif_poison', T0));
        for (let i = 0; i < 3; i++) await store.platformEvents.noteFailure('intercom', 'notif_poison');
        expect((await store.platformEvents.listUnprocessed('intercom', T0 + 1, 4, 10)).map((e) => e.attempts)).toEqual([3]);
        expect(await store.platformEvents.listUnprocessed('intercom', T0 + 1, 3, 10)).toEqual([]);
      });
    });

    describe('session handoffs', () => {
      const handoff = (id: string, overrides: Partial<{ workspaceId: string; expiresAt: number; sealedSession: string }> = {}) =>
        ({ id, workspaceId: ws.id, sealedSession: `v1:sealed-${id}`, expiresAt: T0 + 120_000, ...overrides });

      it('hands a session over once, to its own workspace only, and keeps the first one stored under an id', async () => {
        expect(await store.sessionHandoffs.put(handoff('h1'))).toBe(true);
        expect(await store.sessionHandoffs.put(handoff('h1', { sealedSession: 'v1:other' }))).toBe(false);
        expect(await store.sessionHandoffs.take('ws_elsewhere', 'h1', T0)).toBeNull();
        expect(await store.sessionHandoffs.take(ws.id, 'h1', T0)).toEqual(handoff('h1'));
        expect(await store.sessionHandoffs.take(ws.id, 'h1', T0)).toBeNull();
        expect(await store.sessionHandoffs.take(ws.id, 'never-stored', T0)).toBeNull();
      });

      it('never hands over an expired session, and removes it when asked for it', async () => {
        await store.sessionHandoffs.put(handoff('late', { expiresAt: T0 + 1000 }));
        expect(await store.sessionHandoffs.take(ws.id, 'late', T0 + 1000)).toBeNull();
        // Gone: a clock that went backwards does not bring it back.
        expect(await store.sessionHandoffs.take(ws.id, 'late', T0)).toBeNull();
      });

      it('lets exactly one of 20 concurrent takes have it', async () => {
        await store.sessionHandoffs.put(handoff('raced'));
        const taken = await Promise.all(Array.from({ length: 20 }, () => store.sessionHandoffs.take(ws.id, 'raced', T0)));
        expect(taken.filter((t) => t !== null)).toHaveLength(1);
      });

      it('prunes what expired before a time and nothing else', async () => {
        await store.sessionHandoffs.put(handoff('old', { expiresAt: T0 + 10 }));
        await store.sessionHandoffs.put(handoff('new', { expiresAt: T0 + 100_000 }));
        expect(await store.sessionHandoffs.prune(T0 + 50)).toBe(1);
        expect(await store.sessionHandoffs.take(ws.id, 'new', T0)).toMatchObject({ id: 'new' });
      });
    });

    describe('backlog', () => {
      it('counts pending approvals, queued and failed deliveries and unprocessed events, with the oldest ages', async () => {
        expect(await store.backlog(T0)).toEqual({
          pendingApprovals: 0, oldestPendingCreatedAt: null, queuedDeliveries: 0, oldestQueuedCreatedAt: null, failedDeliveries: 0, unprocessedEvents: 0,
        });
        const older = approval(ws.id, { createdAt: T0 - 5000 });
        const newer = approval(ws.id, { createdAt: T0 });
        const decided = approval(ws.id, { createdAt: T0 - 9000 });
        for (const a of [older, newer, decided]) await store.approvals.create(a, [event(a, 'approval.created')]);
        const queued = delivery(decided, { createdAt: T0 + 100 });
        const failing = delivery(decided, { createdAt: T0 + 50 });
        await store.approvals.transition(transition(decided, { deliveries: [queued, failing] }));
        await store.outbox.claim({ now: T0 + 100, owner: 'w1', leaseMs: 1000, limit: 10 });
        await store.outbox.finishAttempt({ deliveryId: failing.id, owner: 'w1', attempt: 1, status: 'failed', nextAttemptAt: T0, lastError: 'HTTP 410', now: T0 + 200, event: event(decided, 'delivery.attempt') });
        await store.platformEvents.record({ source: 'intercom', eventId: 'n1', topic: 't', payload: '{}', receivedAt: T0 });
        await store.platformEvents.record({ source: 'intercom', eventId: 'n2', topic: 't', payload: '{}', receivedAt: T0 });
        await store.platformEvents.markProcessed('intercom', 'n2', T0 + 1);
        await store.platformEvents.claim('intercom', 'bare', T0);

        expect(await store.backlog(T0)).toEqual({
          pendingApprovals: 2, oldestPendingCreatedAt: T0 - 5000, queuedDeliveries: 1, oldestQueuedCreatedAt: T0 + 100, failedDeliveries: 1, unprocessedEvents: 1,
        });
        expect((await store.backlog(T0 + 201)).failedDeliveries).toBe(0);
      });
    });

    describe('isolation', () => {
      it('keeps what it stored when a caller changes a record it passed in or got back', async () => {
        const a = approval(ws.id, { idempotencyKey: 'iso' });
        const created = event(a, 'approval.created');
        const stored = structuredClone(a);
        const returned = (await store.approvals.create(a, [created])).approval;
        a.details.amount = 'changed-input';
        created.data.type = 'changed-input';
        returned.details.amount = 'changed-returned';
        (await store.approvals.get(ws.id, a.id))!.details.amount = 'changed-read';
        (await store.approvals.list(ws.id, {}, 10))[0]!.summary = 'changed-listed';
        (await store.approvals.findByIdempotencyKey(ws.id, 'iso'))!.context = null;
        (await store.approvals.listEvents(ws.id, a.id))[0]!.data.type = 'changed-read';
        expect(await store.approvals.get(ws.id, a.id)).toEqual(stored);
        expect((await store.approvals.listEvents(ws.id, a.id))[0]!.data).toEqual({ type: 'approval.created' });

        const d = delivery(a);
        const request = transition(stored, { deliveries: [d], settlement: structuredClone(approved) });
        const settled = (await store.approvals.transition(request)).approval!;
        request.approval.modifiedDetails!.amount = 'changed-input';
        settled.decidedBy!.name = 'changed-returned';
        d.body = 'changed-input';
        (await store.outbox.claim({ now: T0, owner: 'w1', leaseMs: 1000, limit: 10 }))[0]!.body = 'changed-claimed';
        expect(await store.approvals.get(ws.id, a.id)).toMatchObject({ decidedBy: approved.decidedBy, modifiedDetails: approved.modifiedDetails });
        expect((await store.outbox.list(ws.id, a.id))[0]!.body).toBe('{"status":"APPROVED"}');

        (await store.workspaces.get(ws.id))!.settings.defaultExpiresInSeconds = 1;
        (await store.workspaces.list())[0]!.secrets.callback = 'changed';
        expect(await store.workspaces.get(ws.id)).toEqual(ws);
      });
    });

    describe('health', () => {
      it('answers a ping while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('commits a harmless probing write, again and again, touching nothing else', async () => {
        const workspaces = await store.workspaces.list();
        await store.probeWrite();
        const first = await store.meta.get('write_probe');
        expect(first).toMatch(/^\d+$/);
        await new Promise((r) => setTimeout(r, 2));
        await store.probeWrite();
        expect(Number(await store.meta.get('write_probe'))).toBeGreaterThan(Number(first));
        expect(await store.workspaces.list()).toEqual(workspaces);
      });
    });
  });
}
