// Evidence: a callback receiver that fails in every way a receiver can (500, a hang past the delivery
// timeout, connection refused, a redirect) still gets the decision, signed, on the configured retry
// schedule, even though Countersign restarts in the middle of the outage; every failed attempt is in
// the audit trail with its reason, and the redirect is never followed.
import { afterAll, describe, expect, it } from 'vitest';
import { eventsWithAttempts, type RecordedAttempt } from '../support/audit-trail';
import { seed000Filled } from '../support/seeds';
import { withReceiver } from '../support/server-and-receiver';
import { checkStandardWebhook } from '../support/standard-webhooks';
import { makeTempDir } from '../support/temp-dir';
import { CALLBACK_SECRET, reviewer, startTestServer, type TestServer } from '../support/test-server';

/** Delays after failed attempts 1, 2, 3, 4 (and a spare, so a fifth failure would still not give up). */
const RETRY_SCHEDULE_MS = [300, 700, 1000, 400, 2000];
const DELIVERY_TIMEOUT_MS = 500;
const POLL_INTERVAL_MS = 100;
/** Clock tolerance for the lower bound: event times are whole milliseconds, attempt durations rounded ones. */
const CLOCK_TOLERANCE_MS = 5;
/** Timer and event-loop lateness a slow, busy 2-core machine may add to a due attempt. */
const SCHEDULER_LATENESS_MS = 1000;

const env = {
  COUNTERSIGN_RETRY_SCHEDULE: RETRY_SCHEDULE_MS.map((ms) => `${ms}ms`).join(','),
  COUNTERSIGN_DELIVERY_TIMEOUT: `${DELIVERY_TIMEOUT_MS}ms`,
  COUNTERSIGN_POLL_INTERVAL: `${POLL_INTERVAL_MS}ms`,
};

describe('receiver outage across a restart', () => {
  const temp = makeTempDir('outage');
  const servers: TestServer[] = [];
  // The receivers outlive both servers on the one data dir.
  const receiver = withReceiver();
  /** Where the 301 points: must never be contacted. */
  const elsewhere = withReceiver();
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    temp.remove();
  });

  it('delivers the signed callback after 500, timeout, refused and 301 attempts, on schedule across a restart, with every failure in the audit trail and the redirect not followed', async () => {
    const redirectTo = `${elsewhere.url}/moved`;
    // Attempt 1 answers 500, attempt 2 hangs, attempt 3 finds nobody listening (it never arrives),
    // attempt 4 is redirected, attempt 5 is accepted (the fallback answer).
    receiver.reply({ status: 500 }, 'hang', { status: 301, headers: { location: redirectTo } }).setFallback({ status: 204 });

    const first = await startTestServer({ dataDir: temp.dir, env });
    servers.push(first);
    const { approval } = await first.intake.createApproval(seed000Filled('4242', `${receiver.url}/outage?token=abc`));
    const modifiedDetails = { ...approval.details, amount: '39.00' };
    const decidedAt = Date.now();
    await first.review.decide(approval.approvalId, { decision: 'approve', note: 'Refund the smaller amount', modifiedDetails, reviewer });

    // Attempt 2 is hanging: stop listening, and restart Countersign while that attempt times out.
    await receiver.waitFor((received) => received.length === 2);
    receiver.goOffline();
    const restartStartedAt = Date.now();
    await first.stop();
    const second = await startTestServer({ dataDir: temp.dir, env });
    servers.push(second);
    const restartedAt = Date.now();

    // Attempt 3, run by the restarted server, is refused; the receiver comes back on the same port.
    const afterRefusal = await eventsWithAttempts(second, approval.approvalId, 3, 20_000);
    await receiver.start();
    const events = await eventsWithAttempts(second, approval.approvalId, 5, 20_000);
    const attempts: RecordedAttempt[] = events.filter((e) => e.type === 'delivery.attempt').map((e) => ({ ...e.data, at: Date.parse(e.at) }));
    expect(afterRefusal.filter((e) => e.type === 'delivery.attempt')).toHaveLength(3);

    // Every attempt and its reason, in the audit trail.
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'delivered']);
    expect(attempts[0]).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
    expect(attempts[1]).toMatchObject({ statusCode: null, error: `no response within ${DELIVERY_TIMEOUT_MS} ms` });
    expect(attempts[2]).toMatchObject({ statusCode: null, error: 'ECONNREFUSED (connect)' });
    expect(attempts[3]).toMatchObject({ statusCode: 301, error: 'HTTP 301 (redirects are not followed)' });
    expect(attempts[4]).toMatchObject({ statusCode: 204, error: null, nextAttemptAt: null });
    // The audit trail names the target without its query string (which may carry a receiver's token).
    for (const a of attempts) expect(a).toMatchObject({ kind: 'callback', target: `${receiver.url}/outage` });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['approval.created', 'approval.approved']));

    // Each failure schedules the next attempt exactly its configured delay later, and the next attempt
    // starts no earlier than that and not much later: at worst a poll interval and some lateness, plus,
    // across the restart, however long the restart took.
    const timeline: string[] = [`attempt 1  ${attempts[0]!.outcome.padEnd(9)} ${outcomeText(attempts[0]!)}  (${attempts[0]!.at - attempts[0]!.durationMs - decidedAt} ms after the decision)`];
    const gapProblems: string[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const previous = attempts[i - 1]!;
      const current = attempts[i]!;
      const scheduled = RETRY_SCHEDULE_MS[i - 1]!;
      const planned = Date.parse(previous.nextAttemptAt) - previous.at;
      const gap = current.at - current.durationMs - previous.at;
      const spansRestart = previous.at <= restartedAt && current.at - current.durationMs >= restartStartedAt;
      const waitedFor = spansRestart ? Math.max(scheduled, restartedAt - previous.at) : scheduled;
      const upper = waitedFor + POLL_INTERVAL_MS + SCHEDULER_LATENESS_MS;
      timeline.push(
        `attempt ${i + 1}  ${current.outcome.padEnd(9)} ${outcomeText(current)}  gap ${gap} ms vs scheduled ${scheduled} ms (bound ${scheduled - CLOCK_TOLERANCE_MS}..${upper}${spansRestart ? `, across the restart of ${restartedAt - restartStartedAt} ms` : ''})`,
      );
      if (planned !== scheduled) gapProblems.push(`attempt ${i + 1} was planned ${planned} ms after attempt ${i}, not ${scheduled}`);
      if (gap < scheduled - CLOCK_TOLERANCE_MS) gapProblems.push(`attempt ${i + 1} started ${gap} ms after attempt ${i}, before its ${scheduled} ms`);
      if (gap > upper) gapProblems.push(`attempt ${i + 1} started ${gap} ms after attempt ${i}, later than ${upper} ms`);
    }
    console.log(`receiver-outage: timeline (retry schedule ${env.COUNTERSIGN_RETRY_SCHEDULE}, timeout ${DELIVERY_TIMEOUT_MS} ms, poll ${POLL_INTERVAL_MS} ms)\n  ${timeline.join('\n  ')}`);
    expect(gapProblems).toEqual([]);
    // The restart really fell inside the outage: between the hanging attempt and the refused one.
    expect(attempts[1]!.at).toBeLessThanOrEqual(restartedAt);
    expect(attempts[2]!.at).toBeGreaterThanOrEqual(restartedAt);

    // What arrived: four requests (the refused attempt never could), one webhook-id, one body, each
    // signed; the last one, accepted, is the decision with the reviewer's changes.
    const arrived = receiver.for(approval.approvalId);
    expect(arrived.map((r) => r.reply)).toEqual([{ status: 500 }, 'hang', { status: 301, headers: { location: redirectTo } }, { status: 204 }]);
    expect(new Set(arrived.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(arrived.map((r) => r.body)).size).toBe(1);
    for (const r of arrived) expect(checkStandardWebhook(CALLBACK_SECRET, r.headers, r.body, r.at)).toEqual({ ok: true, id: r.headers['webhook-id'] });
    const delivered = arrived.at(-1)!;
    expect(delivered.answeredAt).toBeDefined();
    const stored = await second.intake.getApproval(approval.approvalId);
    expect(delivered.json).toMatchObject({
      type: 'approval.decided',
      approvalId: approval.approvalId,
      action: 'process_refund',
      status: 'APPROVED',
      details: approval.details,
      modifiedDetails,
      decisionNote: 'Refund the smaller amount',
      decidedAt: stored.decidedAt,
    });
    expect(delivered.path).toBe('/outage?token=abc');

    // The 301 was not followed: nothing ever reached its Location.
    expect(elsewhere.received).toEqual([]);
    expect(receiver.received.filter((r) => r.path.startsWith('/moved'))).toEqual([]);
    console.log(
      `receiver-outage: delivered on attempt 5 of 5, ${delivered.at - decidedAt} ms after the decision; arrivals=${arrived.length} (one webhook-id, all signed), ` +
        `restart took ${restartedAt - restartStartedAt} ms, redirect target contacted ${elsewhere.received.length} times`,
    );
  });
});

function outcomeText(attempt: RecordedAttempt): string {
  return (attempt.error ?? `HTTP ${attempt.statusCode}`).padEnd(38);
}
