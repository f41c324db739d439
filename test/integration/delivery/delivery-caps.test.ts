// The delivery worker's caps and host circuit breaker, against a real server, store and receivers.
// (test/proof/delivery-fairness.test.ts shows what they are for: one workspace cannot starve another.)
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '@countersign/server/approvals';
import { CallbackReceiver } from '../../support/callback-receiver';
import { seed000Filled } from '../../support/seeds';
import { startServerAndReceiver, type ServerAndReceiver } from '../../support/server-and-receiver';
import { reviewer, type TestServer } from '../../support/test-server';

describe('delivery caps and host back-off', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serverAndReceiverWith(env: Record<string, string>, receiverHost?: string): Promise<ServerAndReceiver> {
    const started = await startServerAndReceiver({ env, receiverHost });
    cleanups.push(() => started.close());
    return started;
  }

  /** A receiver on another loopback host, for a test with two. */
  async function receiverOn(host: string): Promise<CallbackReceiver> {
    const started = await new CallbackReceiver(host).start();
    cleanups.push(() => started.stop());
    return started;
  }

  async function createApprovals(server: TestServer, url: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await server.intake.createApproval(seed000Filled(String(i), url))).approval.approvalId);
    return ids;
  }

  async function deliveries(server: TestServer, ids: string[]): Promise<DeliveryRecord[]> {
    const ws = (await server.app.store.workspaces.findByName('default'))!;
    return (await Promise.all(ids.map((id) => server.app.store.outbox.list(ws.id, id)))).flat();
  }

  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps no more of one workspace’s callbacks in flight than its cap, even when its decisions arrive all at once', async () => {
    const { server, receiver: hanging } = await serverAndReceiverWith({ COUNTERSIGN_DELIVERY_PER_WORKSPACE: '3', COUNTERSIGN_DELIVERY_TIMEOUT: '3s' });
    hanging.setFallback('hang');
    const ids = await createApprovals(server, `${hanging.url}/cb`, 9);
    await Promise.all(ids.map((id) => server.review.decide(id, { decision: 'approve', reviewer })));
    await hanging.waitFor((r) => r.length >= 3);
    await settle(500); // room for any attempt past the cap to show up
    expect(hanging.received).toHaveLength(3);
    expect(server.app.worker.activeAttempts).toBe(3);
    // The others wait their turn without spending an attempt.
    expect((await deliveries(server, ids)).filter((d) => d.attempts === 0)).toHaveLength(6);
  });

  it('keeps no more callbacks to one host in flight than its cap, while another host gets its own', async () => {
    const { server, receiver: hanging } = await serverAndReceiverWith({ COUNTERSIGN_DELIVERY_PER_HOST: '2', COUNTERSIGN_DELIVERY_TIMEOUT: '3s' }, '127.0.0.2');
    hanging.setFallback('hang');
    const healthy = await receiverOn('127.0.0.3');
    const stuck = await createApprovals(server, `${hanging.url}/cb`, 6);
    const fine = await createApprovals(server, `${healthy.url}/cb`, 3);
    await Promise.all(stuck.map((id) => server.review.decide(id, { decision: 'approve', reviewer })));
    await hanging.waitFor((r) => r.length >= 2);
    for (const id of fine) await server.review.decide(id, { decision: 'reject', reviewer });
    await healthy.waitFor((r) => r.length === 3);
    await settle(300);
    expect(hanging.received).toHaveLength(2);
    expect(new Set(healthy.received.map((r) => r.json.approvalId))).toEqual(new Set(fine));
  });

  it('stops sending to a host after five failures in a row, without spending the waiting deliveries’ retries', async () => {
    // Ten attempts each, 50 ms apart: without the breaker every delivery would give up within a second.
    const { server, receiver: failing } = await serverAndReceiverWith({ COUNTERSIGN_RETRY_SCHEDULE: Array(9).fill('50ms').join(','), COUNTERSIGN_DELIVERY_HOST_COOLDOWN: '1h' });
    failing.setFallback({ status: 503 });
    const ids = await createApprovals(server, `${failing.url}/cb`, 10);
    for (const id of ids) await server.review.decide(id, { decision: 'approve', reviewer });
    await failing.waitFor((r) => r.length >= 5);
    await settle(1500);
    const stored = await deliveries(server, ids);
    const attempts = stored.reduce((sum, d) => sum + d.attempts, 0);
    expect(stored.every((d) => d.status === 'pending')).toBe(true);
    expect(attempts).toBe(failing.received.length);
    // Five to open the circuit, plus any already on their way when it opened (at most the host cap).
    expect(attempts).toBeLessThanOrEqual(5 + 8);
    expect(stored.filter((d) => d.attempts === 0).length).toBeGreaterThan(0);
  });

  it('lets one probe through after the cool-down and, once the host answers, delivers everything held back', async () => {
    let down = true;
    // The outage outlasts the retry schedule (ten attempts 50 ms apart): only the breaker keeps the deliveries from giving up.
    const { server, receiver: flaky } = await serverAndReceiverWith({ COUNTERSIGN_RETRY_SCHEDULE: Array(9).fill('50ms').join(','), COUNTERSIGN_DELIVERY_HOST_COOLDOWN: '600ms' });
    flaky.replyBy(() => (down ? { status: 500 } : { status: 204 }));
    const ids = await createApprovals(server, `${flaky.url}/cb`, 10);
    for (const id of ids) await server.review.decide(id, { decision: 'approve', reviewer });
    await flaky.waitFor((r) => r.length >= 5);
    await settle(1000);
    down = false;
    const delivered = () => ids.every((id) => flaky.for(id).some((r) => (r.reply as { status: number }).status === 204));
    await flaky.waitFor(delivered, 15_000);
    // The receiver sees the request before the worker records its outcome: wait for the records.
    let stored = await deliveries(server, ids);
    for (let i = 0; i < 200 && !stored.every((d) => d.status === 'succeeded'); i++) {
      await settle(20);
      stored = await deliveries(server, ids);
    }
    expect(stored.map((d) => d.status)).toEqual(Array(10).fill('succeeded'));
    // While down: five to open the circuit, those already on their way, and a probe or two.
    expect(flaky.received.filter((r) => (r.reply as { status: number }).status === 500).length).toBeLessThanOrEqual(5 + 8 + 3);
  });

  it('gives back the slot of a delivery adopted for a settlement that was not written', async () => {
    const { server, receiver: healthy } = await serverAndReceiverWith({ COUNTERSIGN_DELIVERY_PER_WORKSPACE: '1' });
    const [id] = await createApprovals(server, `${healthy.url}/cb`, 1);
    const ws = (await server.app.store.workspaces.findByName('default'))!;
    const now = Date.now();
    const planned: DeliveryRecord = {
      id: 'msg_never_written', workspaceId: ws.id, approvalId: id!, kind: 'callback', target: `${healthy.url}/cb`, body: '{}',
      status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError: null, createdAt: now, updatedAt: now,
    };
    const [adopted] = server.app.worker.adopt([planned]);
    expect(adopted!.leaseOwner).not.toBeNull();
    // While the slot is set aside the workspace is at its cap: the next one is left for a claim.
    expect(server.app.worker.adopt([{ ...planned, id: 'msg_other' }])[0]!.leaseOwner).toBeNull();
    server.app.worker.discard([adopted!]);
    expect(server.app.worker.adopt([{ ...planned, id: 'msg_after' }])[0]!.leaseOwner).not.toBeNull();
  });
});
