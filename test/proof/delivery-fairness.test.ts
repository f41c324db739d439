// Evidence: one workspace cannot starve another's callbacks. Workspace A creates and cancels 160
// requests whose callbacks go to receivers that accept the connection and never answer, with a
// realistic delivery timeout; meanwhile workspace B's reviewer decides requests one at a time and each
// callback must reach B's healthy receiver promptly. Two floods: over eight hosts (the per-workspace
// cap is what protects B) and onto one host (the per-host cap, then the host's circuit breaker, which
// keeps A's waiting deliveries unclaimed with their retries unspent). Everything runs at the default
// caps and slots (32 in flight, 16 per workspace, 8 per host).
import { CountersignClient } from '@countersign/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackReceiver } from '../support/callback-receiver';
import { seed000Filled } from '../support/seeds';
import { startServerAndReceiver } from '../support/server-and-receiver';
import { checkStandardWebhook } from '../support/standard-webhooks';
import { reviewer, type TestServer } from '../support/test-server';

const FLOOD = 160;
const FLOOD_CONCURRENCY = 16;
/** Realistic: long enough that every hanging attempt holds its slot for a while (the default is 15 s). */
const DELIVERY_TIMEOUT = '5s';
const B_DECISIONS = 25;
/** B decides about four a second, so its decisions span more than one delivery timeout of the flood. */
const B_PAUSE_MS = 250;
/** Past this a B callback counts as not delivered (the unfixed code keeps B waiting for whole timeout waves). */
const B_WAIT_MS = 30_000;
/** The unfixed code would take minutes to serve B; the run stops deciding after this. */
const B_BUDGET_MS = 60_000;
const P99_LIMIT_MS = 1000;

interface Figures {
  latencies: number[];
  missing: number;
  /** Callbacks that arrived before the decision's 200 did (counted as 0 ms). */
  early: number;
}

describe('delivery fairness between workspaces', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setUp(floodHosts: string[]) {
    const hanging = await Promise.all(floodHosts.map((host) => new CallbackReceiver(host).setFallback('hang').start()));
    // B's receiver is the healthy one.
    const running = await startServerAndReceiver({
      // The caps and slots stay at their defaults; only the timing is set, to realistic values.
      env: { COUNTERSIGN_DELIVERY_TIMEOUT: DELIVERY_TIMEOUT, COUNTERSIGN_RETRY_SCHEDULE: '5s,5m,30m', COUNTERSIGN_DELIVERY_HOST_COOLDOWN: '5s', COUNTERSIGN_LOG_LEVEL: 'warn' },
    });
    const { server, receiver: healthy } = running;
    // Hanging receivers first: cutting their connections ends the attempts still waiting on them.
    cleanups.push(async () => {
      await Promise.all(hanging.map((r) => r.stop()));
      await running.close();
    });
    const { workspace, callbackSecret } = await server.app.workspaces.create('globex');
    const b = new CountersignClient({
      baseUrl: server.url,
      intakeKey: (await server.app.workspaces.issueKey(workspace, 'intake')).key,
      reviewKey: (await server.app.workspaces.issueKey(workspace, 'review', { reviewer: { kind: 'delegating' } })).key,
    });
    return { server, hanging, healthy, b, bSecret: callbackSecret };
  }

  /** Workspace A: creates and cancels FLOOD requests with callbacks spread over the hanging receivers. */
  async function flood(server: TestServer, hanging: CallbackReceiver[]): Promise<string[]> {
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: FLOOD_CONCURRENCY }, async () => {
        while (next < FLOOD) {
          const i = next++;
          const target = hanging[i % hanging.length]!;
          const { approval } = await server.intake.createApproval(seed000Filled(`a${i}`, `${target.url}/never-answers`));
          await server.intake.cancelApproval(approval.approvalId);
          ids.push(approval.approvalId);
        }
      }),
    );
    return ids;
  }

  /** Workspace B: decides one request at a time; each latency runs from the decision's 200 to the callback's arrival. */
  async function decideOneByOne(b: CountersignClient, healthy: CallbackReceiver): Promise<Figures> {
    const ids: string[] = [];
    for (let i = 0; i < B_DECISIONS; i++) ids.push((await b.createApproval(seed000Filled(`b${i}`, `${healthy.url}/b`))).approval.approvalId);
    const figures: Figures = { latencies: [], missing: 0, early: 0 };
    const started = Date.now();
    for (const id of ids) {
      if (Date.now() - started > B_BUDGET_MS) {
        figures.missing++;
        continue;
      }
      await b.decide(id, { decision: 'approve', reviewer });
      const answeredAt = Date.now();
      try {
        await healthy.waitFor(() => healthy.for(id).length > 0, B_WAIT_MS);
        const latency = healthy.for(id)[0]!.at - answeredAt;
        if (latency < 0) figures.early++;
        figures.latencies.push(Math.max(0, latency));
      } catch {
        figures.missing++;
      }
      await new Promise((r) => setTimeout(r, B_PAUSE_MS));
    }
    return figures;
  }

  async function floodAttempts(server: TestServer, ids: string[]) {
    const ws = (await server.app.store.workspaces.findByName('default'))!;
    const deliveries = (await Promise.all(ids.map((id) => server.app.store.outbox.list(ws.id, id)))).flat();
    return { total: deliveries.reduce((sum, d) => sum + d.attempts, 0), untouched: deliveries.filter((d) => d.attempts === 0).length };
  }

  function report(name: string, f: Figures, extra: string): { p50: number; p99: number } {
    const sorted = [...f.latencies].sort((x, y) => x - y);
    const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.POSITIVE_INFINITY;
    const [p50, p99] = [at(50), at(99)];
    console.log(
      `delivery-fairness (${name}): B's callbacks, decision 200 → arrival: p50 ${p50} ms, p99 ${p99} ms, max ${at(100)} ms over ${sorted.length} of ${B_DECISIONS} ` +
        `(missing ${f.missing}, arrived before the 200 ${f.early}); ${extra}`,
    );
    return { p50, p99 };
  }

  it('keeps another workspace’s callbacks prompt while one floods eight hosts that never answer', async () => {
    const { server, hanging, healthy, b, bSecret } = await setUp(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9']);
    const flooding = flood(server, hanging);
    // A holds every slot it may before B's first decision.
    await Promise.all(hanging.map((r) => r.waitFor((got) => got.length >= 1)));
    const figures = await decideOneByOne(b, healthy);
    const floodIds = await flooding;
    const reachedA = hanging.reduce((sum, r) => sum + r.received.length, 0);
    const attempts = await floodAttempts(server, floodIds);
    const { p99 } = report(
      'eight hosts',
      figures,
      `A: ${FLOOD} callbacks planned, ${reachedA} requests reached its hanging hosts (${hanging.map((r) => r.received.length).join('/')}), ` +
        `${attempts.untouched} deliveries not yet attempted, ${server.app.worker.activeAttempts} attempts in flight at the end; timeout ${DELIVERY_TIMEOUT}`,
    );
    expect(figures.missing).toBe(0);
    expect(p99).toBeLessThan(P99_LIMIT_MS);
    for (const r of healthy.received) expect(checkStandardWebhook(bSecret, r.headers, r.body, r.at)).toMatchObject({ ok: true });
    expect(new Set(healthy.received.map((r) => r.headers['webhook-id'])).size).toBe(B_DECISIONS);
  });

  it('keeps another workspace’s callbacks prompt while one floods a single host that never answers, and stops trying that host', async () => {
    const { server, hanging, healthy, b, bSecret } = await setUp(['127.0.0.2']);
    const [host] = hanging;
    const flooding = flood(server, hanging);
    await host!.waitFor((got) => got.length >= 1);
    const figures = await decideOneByOne(b, healthy);
    const floodIds = await flooding;
    const attempts = await floodAttempts(server, floodIds);
    const { p99 } = report(
      'one host',
      figures,
      `A: ${FLOOD} callbacks planned, ${host!.received.length} requests reached the hanging host, ${attempts.total} attempts started, ` +
        `${attempts.untouched} deliveries not yet attempted (their retries unspent); timeout ${DELIVERY_TIMEOUT}`,
    );
    expect(figures.missing).toBe(0);
    expect(p99).toBeLessThan(P99_LIMIT_MS);
    for (const r of healthy.received) expect(checkStandardWebhook(bSecret, r.headers, r.body, r.at)).toMatchObject({ ok: true });
    // The per-host cap let 8 in. Once the first timed out the host got nothing new while the others
    // were still out, and by the time they had all timed out the circuit was open. After that at most
    // one probe, once the cool-down had passed, within B's decisions.
    const mostTried = 8 + 1;
    expect(host!.received.length).toBeLessThanOrEqual(mostTried);
    expect(attempts.total).toBeLessThanOrEqual(mostTried);
    expect(attempts.untouched).toBeGreaterThanOrEqual(FLOOD - mostTried);
  });
});
