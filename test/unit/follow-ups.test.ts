// Reach in the domain, over the in-memory store with a controllable clock: a request needing a human is
// announced (deliveries planned for `created` in its own transaction, none for auto-decided ones), and
// the sweep reminds and escalates it once each, at the times its rule said, never after it ended, and
// only once however many sweeps run at the same moment.
import { beforeEach, describe, expect, it } from 'vitest';
import { DecisionBody, IntakeBody, PolicyDocument, type IntakeInput, type PolicyInput } from '@countersign/shared';
import {
  ApprovalService,
  newId,
  Policies,
  type ApprovalRecord,
  type ApprovalTransition,
  type DeliveryPlanner,
  type DeliveryRecord,
  type ReviewerPrincipal,
  type WorkspaceRecord,
} from '@countersign/server/approvals';
import { newDelivery } from '@countersign/server/delivery';
import { MemoryStore } from '@countersign/server/store/memory';

const T0 = 1_790_000_000_000;
const DELEGATING: ReviewerPrincipal = { kind: 'delegating', keyId: 'key_review_tool' };

/** Plans one delivery per change, named after its transition, and remembers what it planned. */
class TransitionPlanner implements DeliveryPlanner {
  readonly planned: Array<{ transition: ApprovalTransition; delivery: DeliveryRecord }> = [];

  async plan(approval: ApprovalRecord, transition: ApprovalTransition): Promise<DeliveryRecord[]> {
    const delivery = newDelivery(approval, `test_${transition}`, 'https://chat.example.com/api', JSON.stringify({ transition, status: approval.status }));
    this.planned.push({ transition, delivery });
    return [delivery];
  }

  committed(): void {}
  discarded(): void {}

  transitions(): ApprovalTransition[] {
    return this.planned.map((p) => p.transition);
  }
}

const intake = (overrides: Partial<IntakeInput> = {}) => IntakeBody.parse({ action: 'process_refund', summary: 'Refund on ticket #4512', details: { ticketId: '4512', amount: 49 }, ...overrides });

const followUpPolicy = (then: Record<string, unknown>): PolicyInput => ({ rules: [{ id: 'refunds', when: { action: 'process_refund' }, then }] });

describe('the policy\'s reach fields', () => {
  const issues = (then: Record<string, unknown>) => {
    const parsed = PolicyDocument.safeParse(followUpPolicy(then));
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts notify, reminders and an escalation with its channel beside who decides', () => {
    expect(issues({ approvals: 2, notify: { slack: 'C0REFUNDS' }, remindAfterSeconds: 600, escalateAfterSeconds: 3600, escalateTo: { slack: 'G0LEADS' } })).toEqual([]);
  });

  it('refuses an escalation without its channel, a channel without its delay, names instead of ids, and odd delays', () => {
    expect(issues({ escalateAfterSeconds: 60 })).toEqual(['rules.0.then.escalateTo: escalateAfterSeconds needs escalateTo: {"slack": "C…"}, the channel to escalate to']);
    expect(issues({ escalateTo: { slack: 'C0LEADS' } })).toEqual(['rules.0.then.escalateAfterSeconds: escalateTo needs escalateAfterSeconds, how long to wait before escalating']);
    expect(issues({ notify: { slack: '#refunds' } })[0]).toMatch(/^rules\.0\.then\.notify\.slack: a Slack channel id/);
    expect(issues({ notify: { slack: 'C0REFUNDS', teams: 'x' } })).not.toEqual([]);
    expect(issues({ remindAfterSeconds: 0 })).not.toEqual([]);
    expect(issues({ remindAfterSeconds: 1.5 })).not.toEqual([]);
    expect(issues({ remindAfterSeconds: 31 * 86_400 })).not.toEqual([]);
  });

  it('keeps reach fields off auto-decisions', () => {
    expect(issues({ decide: 'approve', notify: { slack: 'C0REFUNDS' } })).not.toEqual([]);
  });
});

describe('reach in the approval service', () => {
  let now: number;
  let store: MemoryStore;
  let planner: TransitionPlanner;
  let policies: Policies;
  let service: ApprovalService;
  let acme: WorkspaceRecord;

  const newService = () => new ApprovalService({ store, policies, clock: () => now, callbackUrls: { intakeProblem: async () => null }, outbox: planner, observers: [] });

  beforeEach(async () => {
    now = T0;
    store = new MemoryStore();
    await store.init();
    acme = { id: newId('ws', T0), name: 'acme', createdAt: T0, settings: { defaultExpiresInSeconds: 3600 }, secrets: {} };
    await store.workspaces.create(acme);
    planner = new TransitionPlanner();
    policies = new Policies(store, () => now);
    service = newService();
  });

  const setPolicy = (input: PolicyInput) => policies.set(acme.id, PolicyDocument.parse(input), 'test');
  const create = async (body = intake()) => (await service.create({ workspace: acme, keyId: 'key_intake' }, body, null)).approval;
  const events = async (a: ApprovalRecord) => (await store.approvals.listEvents(acme.id, a.id)).map((e) => e.type);
  const deliveriesOf = async (a: ApprovalRecord) => (await store.outbox.list(acme.id, a.id)).map((d) => d.kind);

  describe('announcing a request', () => {
    it('plans the created deliveries of a request that needs a human and writes them with it', async () => {
      const approval = await create();
      expect(planner.transitions()).toEqual(['created']);
      expect(await deliveriesOf(approval)).toEqual(['test_created']);
      expect(approval.followUpAt ?? null).toBeNull();
    });

    it('plans only the settlement of a request the policy decides at intake', async () => {
      await setPolicy({ rules: [{ id: 'small', when: { action: 'process_refund' }, then: { decide: 'approve' } }] });
      const approval = await create();
      expect(approval.status).toBe('approved');
      expect(planner.transitions()).toEqual(['settled']);
      expect(await deliveriesOf(approval)).toEqual(['test_settled']);
    });

    it('keeps the rule\'s notify channel and follow-up times in the requirement', async () => {
      await setPolicy(followUpPolicy({ notify: { slack: 'C0REFUNDS' }, remindAfterSeconds: 600, escalateAfterSeconds: 1200, escalateTo: { slack: 'C0LEADS' } }));
      const approval = await create();
      expect(approval.requirement?.reach).toEqual({ notify: { slack: 'C0REFUNDS' }, remindAfterSeconds: 600, escalateAfterSeconds: 1200, escalateTo: { slack: 'C0LEADS' } });
      expect(approval.followUpAt).toBe(T0 + 600_000);
      expect(await store.approvals.get(acme.id, approval.id)).toEqual(approval);
    });
  });

  describe('reminders and escalations', () => {
    beforeEach(async () => {
      await setPolicy(followUpPolicy({ remindAfterSeconds: 600, escalateAfterSeconds: 1200, escalateTo: { slack: 'C0LEADS' } }));
    });

    it('reminds once when the reminder falls due, then escalates once, each with its event and deliveries', async () => {
      const approval = await create();
      now = T0 + 599_000;
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created']);

      now = T0 + 600_000;
      await service.followUpOverdue();
      await service.followUpOverdue();
      const reminded = (await store.approvals.get(acme.id, approval.id))!;
      expect(reminded).toMatchObject({ status: 'pending', remindedAt: T0 + 600_000, followUpAt: T0 + 1_200_000 });
      expect(await events(approval)).toEqual(['approval.created', 'approval.reminded']);

      now = T0 + 1_300_000;
      await service.followUpOverdue();
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created', 'approval.reminded', 'approval.escalated']);
      const trail = await store.approvals.listEvents(acme.id, approval.id);
      expect(trail[2]!.data).toEqual({ afterSeconds: 1200, escalateTo: { slack: 'C0LEADS' } });
      expect(await deliveriesOf(approval)).toEqual(['test_created', 'test_reminded', 'test_escalated']);
      expect((await store.approvals.get(acme.id, approval.id))!.followUpAt).toBeNull();
      expect(await store.approvals.listFollowUpsDue(now, 10)).toEqual([]);
    });

    it('makes both, reminder first, when a sweep finds both due at once', async () => {
      const approval = await create();
      now = T0 + 1_500_000;
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created', 'approval.reminded', 'approval.escalated']);
    });

    it('makes each follow-up once when several instances sweep at the same moment', async () => {
      const approvals = await Promise.all(Array.from({ length: 5 }, () => create()));
      now = T0 + 1_500_000;
      const instances = [service, newService(), newService(), newService()];
      await Promise.all(instances.map((instance) => instance.followUpOverdue()));
      for (const approval of approvals) {
        expect(await events(approval)).toEqual(['approval.created', 'approval.reminded', 'approval.escalated']);
        // The losers planned too, but only the winner's deliveries were written.
        expect((await deliveriesOf(approval)).sort()).toEqual(['test_created', 'test_escalated', 'test_reminded']);
      }
    });

    it('follows up nothing of a request decided before its reminder was due', async () => {
      const approval = await create();
      now = T0 + 60_000;
      await service.decide(acme.id, approval.id, DecisionBody.parse({ decision: 'approve', reviewer: { id: '7', name: 'Ana', via: 'api' } }), DELEGATING);
      now = T0 + 1_500_000;
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created', 'approval.approved']);
    });

    it('schedules no follow-up at or after the request expires, and makes none once it has', async () => {
      await setPolicy(followUpPolicy({ remindAfterSeconds: 1800, escalateAfterSeconds: 3600, escalateTo: { slack: 'C0LEADS' } }));
      const approval = await create(intake({ expiresInSeconds: 3600 }));
      expect(approval.followUpAt).toBe(T0 + 1_800_000);
      now = T0 + 3_700_000;
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created']);
      await service.expireOverdue();
      expect((await store.approvals.get(acme.id, approval.id))!.status).toBe('expired');
    });

    it('lets a decision made after a reminder still win, computed again on the reminded version', async () => {
      const approval = await create();
      now = T0 + 600_000;
      await service.followUpOverdue();
      const decided = await service.decide(acme.id, approval.id, DecisionBody.parse({ decision: 'reject', note: 'no', reviewer: { id: '7', name: 'Ana', via: 'api' } }), DELEGATING);
      expect(decided).toMatchObject({ status: 'rejected', remindedAt: T0 + 600_000 });
      now = T0 + 1_500_000;
      await service.followUpOverdue();
      expect(await events(approval)).toEqual(['approval.created', 'approval.reminded', 'approval.rejected']);
    });
  });
});
