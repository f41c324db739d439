import { describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../../support/callback-receiver';
import { seed000Filled } from '../../support/seeds';
import { deliveryAttempts as attempts } from '../../support/audit-trail';
import { withServerAndReceiver } from '../../support/server-and-receiver';
import { reviewer } from '../../support/test-server';

describe('callback delivery outcomes', () => {
  const { server, receiver } = withServerAndReceiver({ env: { COUNTERSIGN_RETRY_SCHEDULE: '200ms,400ms,600ms,100ms', COUNTERSIGN_DELIVERY_TIMEOUT: '500ms' } });

  async function decide(path: string): Promise<string> {
    const { approval } = await server.intake.createApproval(seed000Filled('5', `${receiver.url}${path}`));
    await server.review.decide(approval.approvalId, { decision: 'approve', reviewer });
    return approval.approvalId;
  }

  it('retries a 500, a timeout, a dropped connection and a redirect on the schedule, then delivers', async () => {
    receiver.reply({ status: 500 }, 'hang', 'destroy', { status: 301, headers: { location: `${receiver.url}/elsewhere` } });
    const id = await decide('/outage');
    const recorded = await attempts(server, id, 5);
    expect(recorded.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'delivered']);
    expect(recorded.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(recorded[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
    expect(recorded[1]).toMatchObject({ statusCode: null, error: 'no response within 500 ms' });
    expect(recorded[2]).toMatchObject({ statusCode: null, error: expect.stringMatching(/ECONNRESET|socket hang up/) });
    expect(recorded[3]).toMatchObject({ statusCode: 301, error: 'HTTP 301 (redirects are not followed)' });
    expect(recorded[4]).toMatchObject({ statusCode: 200, error: null, nextAttemptAt: null });
    expect(receiver.received.some((r) => r.path === '/elsewhere')).toBe(false);
    // Each retry waits at least its scheduled gap after the failure before it.
    const gaps = recorded.slice(1).map((a, i) => a.at - recorded[i]!.at);
    [200, 400, 600, 100].forEach((gap, i) => expect(gaps[i]).toBeGreaterThanOrEqual(gap));
    // Every attempt carried the same webhook-id.
    expect(new Set(receiver.received.filter((r) => r.path === '/outage').map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('gives up when the schedule runs out', async () => {
    const id = await decide('/always-down');
    receiver.reply(...Array.from({ length: 5 }, () => ({ status: 502 })));
    const recorded = await attempts(server, id, 5);
    expect(recorded.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'gave_up']);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.filter((r) => r.path === '/always-down')).toHaveLength(5);
    const [delivery] = await server.app.store.outbox.list((await server.app.store.workspaces.findByName('default'))!.id, id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 5, lastError: 'HTTP 502' });
  });

  it('stops at once when the receiver answers 410 Gone', async () => {
    receiver.reply({ status: 410 });
    const id = await decide('/gone');
    const recorded = await attempts(server, id, 1);
    expect(recorded[0]).toMatchObject({ outcome: 'gave_up', statusCode: 410 });
  });

  it('waits at least as long as a 429’s Retry-After asks', async () => {
    receiver.reply({ status: 429, headers: { 'retry-after': '1' } });
    const id = await decide('/throttled');
    const recorded = await attempts(server, id, 2);
    expect(recorded[1]!.at - recorded[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(recorded[1]!.outcome).toBe('delivered');
  });

  it('counts a connection refused as a failure and retries', async () => {
    const closed = await new CallbackReceiver().start();
    const url = closed.url;
    await closed.stop();
    const { approval } = await server.intake.createApproval(seed000Filled('6', `${url}/nobody`));
    await server.review.decide(approval.approvalId, { decision: 'reject', reviewer });
    const recorded = await attempts(server, approval.approvalId, 2);
    expect(recorded[0]).toMatchObject({ outcome: 'retrying', error: 'ECONNREFUSED (connect)' });
  });
});
